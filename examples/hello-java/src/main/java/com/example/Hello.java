package com.example;

/** Prints a greeting and the Java runtime it runs on. */
public final class Hello {

  private Hello() {}

  public static void main(String[] args) {
    System.out.println("Hello from a Debian image, Java " + System.getProperty("java.version")
        + ", user " + System.getProperty("user.name"));
  }
}
