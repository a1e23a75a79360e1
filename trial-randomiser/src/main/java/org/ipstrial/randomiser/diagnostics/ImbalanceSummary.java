package org.ipstrial.randomiser.diagnostics;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The distribution of an imbalance over replications. Imbalance is the sum over arms of
 * |allocated - target share|: for two arms at 1:1 that is |treatment - control|.
 *
 * @param mean the mean
 * @param standardDeviation the standard deviation
 * @param median the 50th percentile
 * @param percentile90 the 90th percentile
 * @param percentile99 the 99th percentile
 * @param maximum the largest value seen
 * @param shareByValue the share of replications at each value seen
 */
public record ImbalanceSummary(
        double mean, double standardDeviation, double median, double percentile90, double percentile99, double maximum,
        SortedMap<Double, Double> shareByValue) {

    public ImbalanceSummary {
        Objects.requireNonNull(shareByValue, "share by value");
        shareByValue = Collections.unmodifiableSortedMap(new TreeMap<>(shareByValue));
    }
}
