"""unlink and unlinkat on a remote (read_write) directory, a local one and a path that
feature.fs.mapping rewrites: each case creates a file, opens it, unlinks it while open, closes it
and checks it is gone; the unlinkat cases unlink by name relative to an open directory descriptor.
Usage: unlink_cases.py REMOTE_DIR LOCAL_DIR MAPPED_DIR MAPPED_TARGET_DIR
Prints one "ok <case>" line per case; any failure raises (non-zero exit)."""

import os
import sys
import uuid

remote_dir, local_dir, mapped_dir, mapped_target = sys.argv[1:5]
TEXT = "some text that the file holds while it is open\n" * 10


def new_file(directory):
    name = "f-" + uuid.uuid4().hex
    path = os.path.join(directory, name)
    with open(path, "w") as w:
        w.write(TEXT)
    return path, name


def unlink_while_open(directory, case):
    path, _ = new_file(directory)
    assert os.path.isfile(path), case + ": created file not found"
    held = open(path, "r")
    assert held.read() == TEXT, case + ": content differs"
    os.unlink(path)
    held.close()
    assert not os.path.isfile(path), case + ": file still there after unlink"
    print("ok", case, flush=True)


def unlinkat(directory, case):
    path, name = new_file(directory)
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.unlink(name, dir_fd=fd)
    finally:
        os.close(fd)
    assert not os.path.isfile(path), case + ": file still there after unlinkat"
    print("ok", case, flush=True)


for base, label in ((remote_dir, "remote"), (local_dir, "local"), (mapped_dir, "mapped")):
    for sub, check in (("unlink", unlink_while_open), ("unlinkat", unlinkat)):
        directory = os.path.join(base, "test_" + sub)
        os.makedirs(directory, exist_ok=True)
        assert os.path.isdir(directory), label + ": directory not created"
        if label == "mapped":
            target = os.path.join(mapped_target, "test_" + sub)
            assert os.path.isdir(target), "mapped: " + target + " was not created"
        check(directory, label + "_" + sub)
