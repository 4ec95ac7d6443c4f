package io.coop.junit.races;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.Schedule;
import io.coop.junit.CoopTest;

/**
 * Two deposits that overlap. First in first out they never do: the second waits out the first's
 * sleep before it reads the balance. Both wake at the same moment, though, and a seed that runs
 * the second one first loses the first deposit.
 */
public class LostUpdateDemo {
    /** The scenario, ordinary threads: deposit 10 now, and 5 after a sleep as long as a deposit's. */
    public static int twoDeposits() throws InterruptedException {
        Account account = new Account();
        Thread first = new Thread(() -> run(() -> account.deposit(10)), "deposit-10");
        Thread second = new Thread(() -> run(() -> { Thread.sleep(10); account.deposit(5); }), "deposit-5");
        first.start();
        second.start();
        first.join();
        second.join();
        return account.balance();
    }

    @CoopTest
    void firstInFirstOut() throws Exception {
        assertEquals(15, twoDeposits());
    }

    @CoopTest(seeds = 100)
    void seeded() throws Exception {
        assertEquals(15, twoDeposits());
    }

    @CoopTest(seeds = 100, strategy = Schedule.Strategy.PCT)
    void pct() throws Exception {
        assertEquals(15, twoDeposits());
    }

    interface Step {
        void run() throws Exception;
    }

    static void run(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
