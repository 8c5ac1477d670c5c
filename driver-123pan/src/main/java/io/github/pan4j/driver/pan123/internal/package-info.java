/** Internals of the {@code 123pan} driver: not exported, not API. */
package io.github.pan4j.driver.pan123.internal;
