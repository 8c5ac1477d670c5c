package io.github.pan4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a new fake 123 cloud (every front door, default settings) for each test of the class and
 * injects it into test-method parameters of type {@code FakeCloud}, {@code FakeStore},
 * {@code FakeClock}, {@code Account} (the demo account), {@code DriverContext} or
 * {@link FakeCloudExtension}:
 *
 * <pre>{@code
 * @FakeCloudTest
 * class UploadTest {
 *   @Test
 *   void upload(FakeCloud cloud, Account demo, DriverContext context) { … }
 * }
 * }</pre>
 *
 * <p>To choose doors, the clock's start or a driver, register {@link FakeCloudExtension} on a
 * field instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(FakeCloudExtension.class)
public @interface FakeCloudTest {}
