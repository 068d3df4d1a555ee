package dev.mirrordj.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The only values a string field accepts, for fields kept as plain strings (e.g. the Kubernetes
 * image pull policy) rather than enums. The binder rejects other values and the schema lists them
 * as an enum.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.METHOD,
  ElementType.FIELD,
  ElementType.PARAMETER
})
public @interface OneOf {
  String[] value();
}
