package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** When a driver's contract test is set up wrongly, the failing test says which setting to change. */
class ContractAdviceTest {
  /** A provider that refuses empty files, with the suite left at its default (they are stored). Run only below. */
  static class RefusesEmptyFiles extends DriverContract {
    @Override
    protected Drive openDrive() {
      return Drives.open("memory", Map.of("emptyFiles", "false"));
    }
  }

  @Test
  void emptyFileRefused_whereTheSuiteExpectsOne_saysToOverrideSupportsEmptyFiles() {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request()
        .selectors(selectNestedMethod(List.of(RefusesEmptyFiles.class), DriverContract.Upload.class,
            "put_emptyFile_storedOrRefusedCleanly"))
        .build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(1, summary.getTestsFailedCount(), "the one test ran and failed");
    String message = summary.getFailures().get(0).getException().getMessage();
    assertTrue(message.contains("override supportsEmptyFiles() to return false"), message);
  }
}
