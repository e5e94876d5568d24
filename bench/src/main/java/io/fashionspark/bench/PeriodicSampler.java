package io.fashionspark.bench;

/**
 * Runs a sample every {@code periodMs} on a daemon thread until stopped: what the memory probes share. The sample
 * must be safe to run on another thread than the one that stops it.
 */
final class PeriodicSampler {
    private final Runnable sample;
    private final Thread thread;
    private volatile boolean running = true;

    PeriodicSampler(String name, long periodMs, Runnable sample) {
        this.sample = sample;
        thread = new Thread(() -> {
            while (running) {
                sample.run();
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread, waits for it (a second at most), then takes one last sample on this thread. */
    void stop() {
        cancel();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample.run();
    }

    /** Stops the thread without waiting and without a last sample. */
    void cancel() {
        running = false;
        thread.interrupt();
    }
}
