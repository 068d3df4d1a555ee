package dev.mirrordj.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the shortened forms a configuration section accepts besides its object form. The section
 * record must also have {@code static JsonNode expand(JsonNode)} turning a shortened form into the
 * object form (and may add implied fields to an object). The binder, the schema generator and error
 * messages all read this one declaration.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ShortForms {
  /** Whether {@code true}/{@code false} is accepted. */
  boolean bool() default false;

  /** Accepted string values (empty: none). */
  String[] strings() default {};

  /** When not empty, any string is accepted; this describes it (e.g. "a target path string"). */
  String anyString() default "";

  /** A regex the {@link #anyString()} form must match, for the schema (empty: any string). */
  String stringPattern() default "";
}
