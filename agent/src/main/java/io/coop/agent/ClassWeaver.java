package io.coop.agent;

import java.util.List;
import java.util.Map;

/** Prototype for the measurement: one way of weaving the prologue into a class file. */
interface ClassWeaver {
    byte[] weave(byte[] classBytes, List<Target> targets, Map<String, String> hookDescriptors, List<String> done, String bridge);
}
