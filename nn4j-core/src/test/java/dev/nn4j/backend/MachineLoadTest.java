package dev.nn4j.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineLoadTest {
    @Test
    void machineBusyTicksCountEveryFieldButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice (guest is already inside user)
        assertEquals(100 + 2 + 30 + 4 + 5 + 6, MachineLoad.machineBusyTicks("cpu  100 2 30 9000 70 4 5 6 50 1"));
        assertEquals(132, MachineLoad.machineBusyTicks("cpu 100 2 30 9000 70 0 0"));
        assertThrows(IllegalArgumentException.class, () -> MachineLoad.machineBusyTicks("cpu0 1 2 3 4 5 6 7"));
    }

    @Test
    void ownTicksAreUtimePlusStimeEvenWhenTheNameHasSpacesAndParentheses() {
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 56 0 0 20 0 3 0 100 1000 200";
        assertEquals(1234 + 56, MachineLoad.ownTicks(stat));
    }

    @Test
    void othersCoresAreTheMachinesTicksLessOursPerSecond() {
        assertEquals(0.65, MachineLoad.othersCores(40, 27, 0.2), 1e-9);
        assertEquals(0.0, MachineLoad.othersCores(20, 23, 0.2), 1e-9);  // tick rounding can put ours above the machine's
    }

    @Test
    void busyWhenOthersUseAQuarterCoreOrTheJitCompilesHalfACore() {
        // a 200 ms window: 20 ticks per core; a quarter of a core is 5 ticks, half a core of compiling 100 ms
        assertFalse(MachineLoad.busy(40, 36, 0, 0.2));    // others 0.2 cores, no compiling
        assertTrue(MachineLoad.busy(40, 34, 0, 0.2));     // others 0.3 cores
        assertFalse(MachineLoad.busy(40, 40, 100, 0.2));  // compiling half a core: small methods go on all run
        assertTrue(MachineLoad.busy(40, 40, 101, 0.2));   // more than that
    }
}
