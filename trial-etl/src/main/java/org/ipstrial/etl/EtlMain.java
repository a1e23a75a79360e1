package org.ipstrial.etl;

/** Entry point of the ETL command line. */
public final class EtlMain {
    private EtlMain() {}

    public static void main(String[] args) {
        System.out.println("trial-etl: not yet implemented");
    }
}
