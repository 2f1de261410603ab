package com.example.a;

/** Prints the module's name. */
public class Main {
  public static void main(String[] args) {
    System.out.println("app-a");
  }
}
