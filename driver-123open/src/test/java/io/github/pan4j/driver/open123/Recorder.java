package io.github.pan4j.driver.open123;

import io.github.pan4j.core.DriveException;
import io.github.pan4j.core.Entry;
import io.github.pan4j.core.UploadListener;
import io.github.pan4j.core.UploadPhase;
import io.github.pan4j.core.UploadProgress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records upload events; an optional hook runs on each TRANSFERRING progress event. */
final class Recorder implements UploadListener {
  final List<UploadPhase> phases = new CopyOnWriteArrayList<>();
  final List<UploadProgress> progress = new CopyOnWriteArrayList<>();
  final List<Entry> completed = new CopyOnWriteArrayList<>();
  final List<DriveException> failed = new CopyOnWriteArrayList<>();
  private final Consumer<UploadProgress> onTransfer;

  Recorder() {
    this(p -> {});
  }

  Recorder(Consumer<UploadProgress> onTransfer) {
    this.onTransfer = onTransfer;
  }

  @Override
  public void phase(UploadProgress p) {
    phases.add(p.phase());
  }

  @Override
  public void progressed(UploadProgress p) {
    progress.add(p);
    if (p.phase() == UploadPhase.TRANSFERRING) onTransfer.accept(p);
  }

  @Override
  public void completed(Entry entry) {
    completed.add(entry);
  }

  @Override
  public void failed(DriveException error) {
    failed.add(error);
  }

  boolean instant() {
    return progress.stream().anyMatch(UploadProgress::instant);
  }
}
