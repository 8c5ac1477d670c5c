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

  /** A driver that answers a whole folder in one page (the memory driver with a huge page). Run only below. */
  static class OnePageListings extends DriverContract {
    @Override
    protected Drive openDrive() {
      return Drives.open("memory", Map.of("pageSize", "100000"));
    }

    @Override
    protected int bulkListCount() {
      return 30;
    }
  }

  /** Runs one test of the suite, nested in {@code nested}, for {@code contract}; the message it failed with. */
  private static String failureOf(Class<? extends DriverContract> contract, Class<?> nested, String method) {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request()
        .selectors(selectNestedMethod(List.of(contract), nested, method))
        .build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(1, summary.getTestsFailedCount(), "the one test ran and failed");
    return summary.getFailures().get(0).getException().getMessage();
  }

  @Test
  void folderListedInOnePage_saysTheSuiteNeedsPagesAndHowToGetThem() {
    String message = failureOf(OnePageListings.class, DriverContract.Listing.class,
        "list_thousandsOfEntries_driverCursorsVisitEachEntryOnceAcrossPages");
    assertTrue(message.contains("all 30 entries (bulkListCount()) came back in one page")
        && message.contains("return a nextCursor"), message);
  }

  @Test
  void emptyFileRefused_whereTheSuiteExpectsOne_saysToOverrideSupportsEmptyFiles() {
    String message = failureOf(RefusesEmptyFiles.class, DriverContract.Upload.class, "put_emptyFile_storedOrRefusedCleanly");
    assertTrue(message.contains("override supportsEmptyFiles() to return false"), message);
  }
}
