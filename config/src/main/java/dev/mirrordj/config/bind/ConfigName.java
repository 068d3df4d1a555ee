package dev.mirrordj.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The field's name in configuration files when it is not the snake_case form of the component name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.METHOD,
  ElementType.FIELD,
  ElementType.PARAMETER
})
public @interface ConfigName {
  String value();
}
