package com.example.service;

/** Prints the service's name. */
public class Main {
  public static void main(String[] args) {
    System.out.println("service");
  }
}
