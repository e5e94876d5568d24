package io.fashionspark.report;

/**
 * Charts are drawn off-screen. Java picks headless mode by itself only when DISPLAY is unset; on a driver with a
 * stale DISPLAY (an ssh session with X forwarding gone) AWT would try to reach that X server and fail. Asking for
 * headless before AWT starts avoids that, and leaves a user's explicit choice alone.
 */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
