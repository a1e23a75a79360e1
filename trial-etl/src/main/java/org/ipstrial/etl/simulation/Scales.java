package org.ipstrial.etl.simulation;

/**
 * How questionnaire items are drawn from a person's latent state: each item is a latent factor
 * (health or wellbeing, standard normal in the population) plus an item's own noise, cut at fixed
 * thresholds into the item's levels (a graded-response model). The thresholds are chosen so that
 * the totals look like those of people with mild to moderate health conditions (docs/simulation.md
 * gives the resulting means and spreads): EQ-5D-5L level sum about 10 (sd 3.8), SWEMWBS raw about
 * 21 (sd 5.4), PHQ-8 about 8, GAD-7 about 7, JSSE about 27.
 */
final class Scales {
    /** Share of an item's variance that is the latent factor's, as a loading. */
    static final double LOADING = 0.75;
    static final double UNIQUE = Math.sqrt(1 - LOADING * LOADING);

    /** EQ-5D-5L dimension order and the cut points of -z (higher -z, worse level) per dimension. */
    static final String[] EQ5D_ITEMS = {"eq5d_mo", "eq5d_sc", "eq5d_ua", "eq5d_pd", "eq5d_ad"};
    private static final double[][] EQ5D_CUTS = {
        {-0.1, 0.7, 1.5, 2.3},
        {0.6, 1.3, 2.0, 2.7},
        {-0.4, 0.4, 1.2, 2.0},
        {-0.6, 0.2, 1.0, 1.9},
        {-0.7, 0.1, 0.9, 1.8},
    };
    private static final double[] SWEMWBS_CUTS = {-1.4, -0.4, 0.6, 1.6};
    private static final double[] SYMPTOM_CUTS = {-0.3, 0.6, 1.4};
    private static final double[] JSSE_CUTS = {-1.5, -0.5, 0.5, 1.5};

    private Scales() {}

    /** 1 + the number of cut points below z. */
    static int level(double z, double[] cuts) {
        int level = 1;
        for (double cut : cuts) {
            if (z > cut) {
                level++;
            }
        }
        return level;
    }

    static double item(double factor, double noise) {
        return LOADING * factor + UNIQUE * noise;
    }

    /** EQ-5D-5L dimension k (0..4) level 1..5; higher health gives lower (better) levels. */
    static int eq5d(int k, double health, double noise) {
        return level(-item(health, noise), EQ5D_CUTS[k]);
    }

    /** SWEMWBS item 1..5; higher wellbeing gives higher levels. */
    static int swemwbs(double wellbeing, double noise) {
        return level(item(wellbeing, noise), SWEMWBS_CUTS);
    }

    /** PHQ or GAD item 0..3; lower wellbeing gives more symptoms. */
    static int symptom(double wellbeing, double noise) {
        return level(-item(wellbeing, noise), SYMPTOM_CUTS) - 1;
    }

    /** JSSE item 1..5 from job-search confidence (a standard normal factor). */
    static int jsse(double confidence, double noise) {
        return level(item(confidence, noise), JSSE_CUTS);
    }

    /** EQ VAS 0..100; about a third of people give a multiple of 5 (heaping, as in real data). */
    static int vas(double health, double noise, boolean heaps) {
        int vas = (int) Math.round(Math.max(0, Math.min(100, 62 + 14 * health + 10 * noise)));
        return heaps ? Math.min(100, 5 * (int) Math.round(vas / 5.0)) : vas;
    }

    /** ONS life satisfaction 0..10. */
    static int lifeSatisfaction(double wellbeing, double noise) {
        return (int) Math.max(0, Math.min(10, Math.round(5.5 + 1.8 * wellbeing + 1.2 * noise)));
    }
}
