# bash with cat, pipes, redirects and command substitution (fork/exec chains)
echo "file=$(cat /mirrord-remote/hello.txt | tr -d '\n')"
echo "upper=$(cat /mirrord-remote/hello.txt | tr a-z A-Z | tr -d '\n')"
read -r line < /mirrord-remote/hello.txt
echo "read=$line"
echo "subst=$(< /mirrord-remote/hello.txt)"
[ -f /mirrord-remote/hello.txt ] && echo "test-f=yes"
echo "glob=$(cd / && echo /mirrord-remote/dir/* | tr ' ' ',')"
echo "written by sh" > /mirrord-remote/out-sh.txt
echo "host=$(hostname)"
