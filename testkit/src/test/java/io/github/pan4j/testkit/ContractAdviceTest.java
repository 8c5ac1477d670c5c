package io.github.pan4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import io.github.pan4j.core.Drive;
import io.github.pan4j.core.Drives;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
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

  /** The same driver, declaring that it lists a folder in one page. Run only below. */
  static class DeclaredOnePage extends OnePageListings {
    @Override
    protected boolean listsInOnePage() {
      return true;
    }
  }

  /** A driver that pages, 10 entries a page. Run only below. */
  static class TenAPage extends OnePageListings {
    @Override
    protected Drive openDrive() {
      return Drives.open("memory", Map.of("pageSize", "10"));
    }
  }

  /** A driver that pages but declares it lists in one page. Run only below. */
  static class PagesButDeclaresOnePage extends TenAPage {
    @Override
    protected boolean listsInOnePage() {
      return true;
    }
  }

  /** How each test of a run ended: its method name → SUCCESSFUL, ABORTED: reason, or FAILED: message. */
  private static Map<String, String> outcomes(Class<? extends DriverContract> contract, Class<?> nested) {
    Map<String, String> outcomes = new TreeMap<>();
    LauncherFactory.create().execute(request().selectors(selectNestedClass(List.of(contract), nested)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!(id.getSource().orElse(null) instanceof MethodSource m)) return;
            outcomes.put(m.getMethodName(), result.getStatus()
                + result.getThrowable().map(t -> ": " + t.getMessage()).orElse(""));
          }
        });
    return outcomes;
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
        && message.contains("raise bulkListCount()") && message.contains("override listsInOnePage() to return true"),
        message);
  }

  @Test
  void driverThatDeclaresItListsInOnePage_skipsTheCursorTestWithAReason_andRunsEveryOtherListingTest() {
    Map<String, String> outcomes = outcomes(DeclaredOnePage.class, DriverContract.Listing.class);
    assertEquals("ABORTED: Assumption failed: the driver lists a folder in one page (listsInOnePage()), so it has no"
        + " cursors to check", outcomes.get("list_thousandsOfEntries_driverCursorsVisitEachEntryOnceAcrossPages"));
    assertEquals("SUCCESSFUL", outcomes.get("list_thousandsOfEntries_driverThatListsInOnePage_answersEveryEntryWithNoCursor"));
    outcomes.remove("list_thousandsOfEntries_driverCursorsVisitEachEntryOnceAcrossPages");
    long listingTests = Arrays.stream(ListContract.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
    assertEquals(listingTests - 1, outcomes.size(), "every other listing test ran: " + outcomes);
    assertTrue(outcomes.values().stream().allMatch("SUCCESSFUL"::equals), outcomes.toString());
  }

  @Test
  void driverThatPages_skipsTheOnePageTest() {
    Map<String, String> outcomes = outcomes(TenAPage.class, DriverContract.Listing.class);
    assertEquals("SUCCESSFUL", outcomes.get("list_thousandsOfEntries_driverCursorsVisitEachEntryOnceAcrossPages"));
    assertTrue(outcomes.get("list_thousandsOfEntries_driverThatListsInOnePage_answersEveryEntryWithNoCursor")
        .startsWith("ABORTED: Assumption failed: the driver pages"), outcomes.toString());
  }

  @Test
  void driverThatPagesButDeclaresOnePage_isToldToDropTheDeclaration() {
    String message = failureOf(PagesButDeclaresOnePage.class, DriverContract.Listing.class,
        "list_thousandsOfEntries_driverThatListsInOnePage_answersEveryEntryWithNoCursor");
    assertTrue(message.contains("the first page (10 of 30 entries) came with a next cursor")
        && message.contains("drop the override"), message);
  }

  @Test
  void emptyFileRefused_whereTheSuiteExpectsOne_saysToOverrideSupportsEmptyFiles() {
    String message = failureOf(RefusesEmptyFiles.class, DriverContract.Upload.class, "put_emptyFile_storedOrRefusedCleanly");
    assertTrue(message.contains("override supportsEmptyFiles() to return false"), message);
  }
}
