/**
 * JUnit 5 support: {@link io.coop.junit.CoopTest} runs a test on a coop hub once, or once per
 * seed to search for interleavings that break it, and replays one seed exactly.
 */
package io.coop.junit;
