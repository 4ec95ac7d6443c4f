package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import java.time.Duration;

/** Tutorial: "Spawning greenlets": subclass {@link Greenlet} and override {@code run()}. */
public final class SubclassingGreenlet {

    static class MyGreenlet extends Greenlet<Void> {
        private final String message;
        private final int n;

        MyGreenlet(String message, int n) {
            this.message = message;
            this.n = n;
        }

        @Override
        protected Void run() {
            System.out.println(message);
            Coop.sleep(Duration.ofSeconds(n));
            return null;
        }
    }

    public static void main(String[] args) {
        Coop.run(() -> {
            MyGreenlet g = new MyGreenlet("Hi there!", 3);
            g.start();
            g.join();
            return null;
        });
    }
}
