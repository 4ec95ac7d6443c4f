package io.coop.junit.races;

/** Code under test for the lost-update demonstration: a read-modify-write with a sleep inside (a slow ledger call, say). */
final class Account {
    private int balance;

    void deposit(int amount) throws InterruptedException {
        int before = balance;
        Thread.sleep(10); // the ledger round trip
        balance = before + amount;
    }

    int balance() {
        return balance;
    }
}
