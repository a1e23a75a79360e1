package org.ipstrial.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The names a field had in older files: an old file then gets "field x is now called y" instead of
 * "x is not a known field".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface FormerlyCalled {
    String[] value();

}
