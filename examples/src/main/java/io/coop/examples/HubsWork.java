package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Hub;
import io.coop.HubGroup;
import io.coop.sync.AsyncResult;
import io.coop.sync.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * docs/hubs.md: two hubs, one OS thread each. Work is handed to a given hub with
 * AsyncResult.spawnOn and its result comes back to the caller's hub; a greenlet that touches
 * another hub's primitive gets a clear error.
 */
public final class HubsWork {
    public static void main(String[] args) {
        try (HubGroup hubs = HubGroup.start(2)) {
            Coop.run(() -> {
                List<AsyncResult<String>> parts = new ArrayList<>();
                for (int i = 0; i < hubs.size(); i++) {
                    int part = i;
                    parts.add(AsyncResult.spawnOn(hubs.hub(i), () -> {
                        List<Greenlet<?>> sleepers = new ArrayList<>();
                        for (int k = 0; k < 3; k++) sleepers.add(Coop.spawn(() -> Coop.sleep(100)));
                        Coop.joinAll(sleepers); // the three sleep at once, on this hub
                        return "part " + part + ": 3 greenlets on " + Coop.hub().thread().getName();
                    }));
                }
                for (AsyncResult<String> p : parts) System.out.println(p.get());

                Event mine = new Event(); // belongs to this (the main thread's) hub
                String refused = AsyncResult.spawnOn(hubs.hub(0), () -> {
                    try {
                        mine.await();
                        return "waited";
                    } catch (IllegalStateException e) {
                        return e.getMessage().substring(0, e.getMessage().indexOf(" that owns it"));
                    }
                }).get();
                System.out.println("another hub's Event: " + refused);

                Hub here = Coop.hub();
                AsyncResult.spawnOn(hubs.hub(1), () -> {
                    mine.set(); // set() may come from any thread: it is posted to the event's hub
                    return null;
                });
                mine.await();
                System.out.println("set from " + hubs.hub(1).thread().getName() + ", seen on " + here.thread().getName());
                return null;
            });
        }
    }
}
