package io.fashionspark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceCountersTest {
    @Test
    void sumsWhatEveryInterfaceButLoopbackSent() {
        List<String> dev = List.of(
                "Inter-|   Receive                                                |  Transmit",
                " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
                "    lo: 9000000   100    0    0    0     0          0         0  9000000   100    0    0    0     0       0          0",
                "  eth0: 1000      10    0    0    0     0          0         0     2500    20    0    0    0     0       0          0",
                "rc-w1:500 5 0 0 0 0 0 0 700 7 0 0 0 0 0 0");
        assertEquals(3200, InterfaceCounters.sentBytes(dev));
    }

    @Test
    void theCountersOfThisHostGrowOrAreUnknown() {
        long now = InterfaceCounters.sentBytes();
        long later = InterfaceCounters.sentBytes();
        // -1 off Linux; otherwise the kernel's counters never go back.
        assertEquals(now < 0, later < 0);
        assertEquals(true, later >= now);
    }
}
