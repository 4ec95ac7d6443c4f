package io.coop.threadpool;

/**
 * A greenlet's wait on a pool as dumps and LoopExit messages show it, made only when shown: the
 * task's own {@code toString} if it has one, else {@code dflt}; then the pool's name.
 */
record PoolWait(Object task, String dflt, String pool) {
    @Override
    public String toString() {
        return (task == null || !hasOwnToString(task) ? dflt : String.valueOf(task)) + " on " + pool;
    }

    private static boolean hasOwnToString(Object task) {
        String cls = task.getClass().getName();
        if (cls.contains("$$Lambda") || cls.contains("$Lambda")) return false;
        try {
            return task.getClass().getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
