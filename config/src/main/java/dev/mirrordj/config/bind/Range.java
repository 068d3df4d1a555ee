package dev.mirrordj.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inclusive bounds for an integer field (or for every element of an integer list), e.g. ports are
 * {@code @Range(min = 1, max = 65535)}; mirrord's {@code u16} fields are {@code max = 65535}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.METHOD,
  ElementType.FIELD,
  ElementType.PARAMETER
})
public @interface Range {
  long min() default 0;

  long max() default Long.MAX_VALUE;
}
