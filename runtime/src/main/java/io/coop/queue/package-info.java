/**
 * gevent's queues for greenlets: {@link io.coop.queue.Queue} (first in first out, optionally
 * bounded), {@link io.coop.queue.LifoQueue}, {@link io.coop.queue.PriorityQueue},
 * {@link io.coop.queue.JoinableQueue} and the rendezvous {@link io.coop.queue.Channel}.
 *
 * <pre>{@code
 * Queue<String> tasks = new Queue<>(3);       // put waits while 3 items are queued
 * Coop.spawn(() -> { for (int i = 0; i < 10; i++) tasks.put("task " + i); });
 * String t = tasks.get(Duration.ofSeconds(1)); // Empty if nothing came within a second
 * }</pre>
 *
 * <p>Waiting getters and putters are served first in first out, with hand-off: an item put while
 * a getter waits goes straight to that getter, and a getter that frees a slot moves the first
 * waiting putter's item in. An item handed to a woken {@code get} is never lost, even if a
 * Timeout or kill arrives in the same instant; a {@code put} interrupted before its hand-off never
 * inserts its item, and one handed off inserts it exactly once.
 */
package io.coop.queue;
