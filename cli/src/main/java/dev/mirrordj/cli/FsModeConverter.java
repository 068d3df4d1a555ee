package dev.mirrordj.cli;

import dev.mirrordj.config.FsMode;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --fs-mode} by the configuration spelling ({@code localwithoverrides}, ...). */
final class FsModeConverter implements ITypeConverter<FsMode> {
  @Override
  public FsMode convert(String value) {
    for (FsMode m : FsMode.values()) {
      if (m.wire().equals(value)) {
        return m;
      }
    }
    throw new TypeConversionException(
        "invalid fs mode '" + value + "'; expected one of: " + String.join(", ", new Candidates()));
  }

  /** Shell-completion candidates. */
  static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(FsMode.values()).map(FsMode::wire).iterator();
    }
  }
}
