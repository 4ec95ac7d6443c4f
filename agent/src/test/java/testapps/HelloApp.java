package testapps;

/** Prints one line: for the start-up cost and the clean-start check. */
public class HelloApp {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
