package org.ipstrial.api.core.reports;

import static org.ipstrial.api.core.PdfText.printable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The monitoring pack as a PDF (Apache PDFBox): one landscape A4 document of tables, every figure
 * taken from a {@link MonitoringPack}. The open part prints pooled figures only; the closed part
 * adds a column per arm. Nothing about a person is printed: the pack holds counts only.
 */
public final class MonitoringPackPdf {
    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 40;
    private static final float SIZE = 8;
    private static final float LEADING = 11;
    private static final DateTimeFormatter MADE_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.UK)
            .withZone(ZoneId.of("Europe/London"));

    private final PDDocument document = new PDDocument();
    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPageContentStream content;
    private float y;

    private MonitoringPackPdf() {}

    public static byte[] render(MonitoringPack pack) {
        MonitoringPackPdf pdf = new MonitoringPackPdf();
        try {
            return pdf.write(pack);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] write(MonitoringPack pack) throws IOException {
        try (document) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle("Monitoring pack, " + (pack.closed() ? "closed" : "open") + " part, as of " + pack.asOf());
            document.setDocumentInformation(info);
            newPage();
            List<String> arms = pack.arms();
            text(bold, 14, "Monitoring pack: " + pack.trial());
            text(bold, 11, pack.closed()
                    ? "CLOSED PART, by arm: for the data monitoring committee only (statistician)"
                    : "OPEN PART: pooled across arms (no figure split by arm)");
            line("As of " + pack.asOf() + ": randomisations and baselines counted up to the end of that day (Europe/London).");
            line("Made " + MADE_AT.format(pack.madeAt()) + ". Screening, agreement, withdrawals, deaths and survey interviews as recorded by the end"
                    + " of that day; erasures as on record when the pack was made (an erased person's earlier place is no longer known).");
            line("Figures from the service's report endpoints (/api/v1/reports/recruitment, consort, balance); see docs/monitoring-pack.md.");
            gap();

            heading("1. Recruitment against target");
            List<String> header = new ArrayList<>(List.of("Unit", "Name", "Target", "Randomised", "% of target", "Recruitment"));
            List<Float> widths = new ArrayList<>(List.of(70f, 160f, 50f, 60f, 60f, 130f));
            if (pack.closed()) {
                arms.forEach(a -> { header.add(label(pack, a)); widths.add(110f); });
            }
            List<List<String>> rows = new ArrayList<>();
            for (MonitoringPack.Target t : pack.recruitment()) {
                List<String> row = new ArrayList<>(List.of(t.level().equals(RecruitmentReport.TRIAL) ? "Whole trial" : levelName(t.level()) + " " + t.code(),
                        t.name() == null ? "" : t.name(), number(t.target()), Long.toString(t.randomised()), percent(t.percentOfTarget()),
                        t.recruitmentStart() == null ? "" : t.recruitmentStart() + " to " + t.recruitmentEnd()));
                if (pack.closed()) {
                    arms.forEach(a -> row.add(Long.toString(t.byArm().getOrDefault(a, 0L))));
                }
                rows.add(row);
            }
            table(header, widths, rows);
            gap();

            heading("2. CONSORT flow (the figures of the CONSORT diagram, as a table)");
            line("Randomised: allocations up to the end of " + pack.asOf() + ". A person counts once, by their latest screening and agreement.");
            List<String> ch = new ArrayList<>(List.of("Unit", "Screened", "Ineligible", "Eligible", "Erased before rand.", "Awaiting agreement",
                    "Declined", "Agreed", "Randomised"));
            List<Float> cw = new ArrayList<>(List.of(80f, 48f, 48f, 48f, 88f, 88f, 45f, 45f, 55f));
            if (pack.closed()) {
                arms.forEach(a -> { ch.add(label(pack, a)); cw.add(105f); });
            }
            List<List<String>> cr = new ArrayList<>();
            for (ConsortFlow.Box b : pack.consort().rows()) {
                List<String> row = new ArrayList<>(List.of(unit(b), n(b.screened()), n(b.ineligible()), n(b.eligible()),
                        n(b.erasedBeforeRandomisation()), n(b.awaitingAgreement()), n(b.declinedAgreement()), n(b.agreed()),
                        n(randomised(b))));
                if (pack.closed()) {
                    arms.forEach(a -> row.add(n(b.randomisedByArm().getOrDefault(a, 0L))));
                }
                cr.add(row);
            }
            table(ch, cw, cr);
            ConsortFlow.Box trial = pack.consort().rows().stream().filter(b -> b.level().equals(RecruitmentReport.TRIAL)).findFirst().orElse(null);
            if (trial != null && !trial.ineligibleByReason().isEmpty()) {
                gap();
                line("Ineligible by reason, whole trial (a person may fail several criteria):");
                for (Map.Entry<String, Long> e : new java.util.TreeMap<>(trial.ineligibleByReason()).entrySet()) {
                    line("    " + pack.consort().reasonTexts().getOrDefault(e.getKey(), e.getKey()) + ": " + e.getValue());
                }
            }
            gap();

            heading("3. Withdrawals, deaths and erasures by site");
            line(pack.closed() ? "Pooled, as the CONSORT report counts them per site; then by arm." : "Pooled across arms.");
            List<List<String>> wr = new ArrayList<>();
            for (ConsortFlow.Box b : pack.consort().rows()) {
                if (b.level().equals(RecruitmentReport.TRIAL_GROUP)) {
                    continue;
                }
                wr.add(List.of(unit(b), n(b.withdrawnService()), n(b.withdrawnResearch()), n(b.died()), n(b.erased()), n(b.erasedRandomised())));
            }
            table(List.of("Unit", "Withdrawn from service", "Withdrawn from research", "Died", "Erased", "Erased after randomisation"),
                    List.of(90f, 110f, 110f, 60f, 60f, 120f), wr);
            gap();
            if (pack.closed()) {
                line("Withdrawals and deaths by arm (a person counts once per kind; \"not randomised\": before randomisation or never randomised):");
                List<List<String>> ar = new ArrayList<>();
                for (MonitoringPack.StatusByArm a : pack.statusesByArm()) {
                    ar.add(List.of(a.site() == null ? "Whole trial" : "Site " + a.site(), a.arm() == null ? "not randomised" : label(pack, a.arm()),
                            n(a.withdrawnService()), n(a.withdrawnResearch()), n(a.died())));
                }
                table(List.of("Unit", "Arm", "Withdrawn from service", "Withdrawn from research", "Died"), List.of(90f, 130f, 110f, 110f, 60f), ar);
                gap();
            }

            heading("4. Data completeness by site");
            line("Baseline questionnaire: of the answers expected (recruits with a baseline x items), those that were not a missing code"
                    + " (don't know, prefer not to say, not applicable). The service takes a baseline only with every item answered, missing codes included.");
            List<List<String>> dr = new ArrayList<>();
            for (MonitoringPack.Completeness c : pack.completeness()) {
                dr.add(List.of("Site " + c.site(), c.name(), n(c.recruits()), Integer.toString(c.items()), n(c.expected()), n(c.answered()),
                        percent(c.percent())));
            }
            table(List.of("Site", "Name", "With baseline", "Items", "Answers expected", "Answered", "% answered"),
                    List.of(60f, 150f, 70f, 50f, 90f, 70f, 70f), dr);
            gap();
            List<String> sites = pack.completeness().stream().map(MonitoringPack.Completeness::site).toList();
            List<String> ih = new ArrayList<>(List.of("Item", "Label"));
            List<Float> iw = new ArrayList<>(List.of(110f, 300f));
            sites.forEach(s -> { ih.add("% answered, site " + s); iw.add(100f); });
            List<List<String>> ir = new ArrayList<>();
            for (MonitoringPack.ItemCompleteness i : pack.itemCompleteness()) {
                List<String> row = new ArrayList<>(List.of(i.item(), i.label()));
                sites.forEach(s -> row.add(percent(i.percent(s))));
                ir.add(row);
            }
            table(ih, iw, ir);
            gap();
            line("Follow-up surveys: randomised recruits on record whose due window had opened by " + pack.asOf()
                    + " (windows from the randomisation day, as the fieldwork list has them), and those interviewed by then"
                    + " (a completed contact, the agency's return or a manual entry); then the same of those whose window had closed.");
            List<List<String>> sr = new ArrayList<>();
            for (MonitoringPack.SurveyCompleteness c : pack.surveys()) {
                List<String> row = new ArrayList<>(List.of("Wave " + c.wave(), "Site " + c.site(), c.name()));
                if (pack.closed()) {
                    row.add(c.arm() == null ? "all" : label(pack, c.arm()));
                }
                row.addAll(List.of(n(c.opened()), n(c.interviewed()), percent(c.percentOfOpened()), n(c.closed()), n(c.interviewedOfClosed()),
                        percent(c.percentOfClosed())));
                sr.add(row);
            }
            List<String> sh = new ArrayList<>(List.of("Wave", "Site", "Name"));
            List<Float> sw = new ArrayList<>(List.of(45f, 45f, 130f));
            if (pack.closed()) {
                sh.add("Arm");
                sw.add(110f);
            }
            sh.addAll(List.of("Window opened", "Interviewed", "%", "Window closed", "Interviewed", "%"));
            sw.addAll(List.of(70f, 60f, 40f, 70f, 60f, 40f));
            table(sh, sw, sr);
            gap();

            heading(pack.closed() ? "5. Baseline balance by arm, within each trial group" : "5. Baseline characteristics, pooled across arms");
            for (BaselineBalance.Group g : pack.balance().groups()) {
                long total = g.recruits().values().stream().mapToLong(Long::longValue).sum();
                text(bold, 9, g.name() + " (" + g.trialGroup() + "): " + total + " randomised with a baseline"
                        + (pack.closed() ? ", " + byArm(pack, g.recruits()) : ""));
                List<String> bh = new ArrayList<>(List.of("Item", "Category"));
                List<Float> bw = new ArrayList<>(List.of(230f, 200f));
                if (pack.closed()) {
                    arms.forEach(a -> { bh.add(label(pack, a)); bw.add(110f); });
                    bh.add("Std. difference");
                    bw.add(70f);
                } else {
                    bh.add("All arms");
                    bw.add(110f);
                }
                List<List<String>> br = new ArrayList<>();
                for (BaselineBalance.Row r : g.rows()) {
                    List<String> row = new ArrayList<>(List.of(r.label(), !r.kind().equals("mean") ? r.category() : pack.closed() ? "mean (SD)" : "mean"));
                    if (pack.closed()) {
                        for (String a : arms) {
                            row.add(r.kind().equals("mean") ? decimal(r.mean().get(a)) + " (" + decimal(r.sd().get(a)) + "), n " + r.count().get(a)
                                    : r.count().get(a) + " (" + percent(r.percent().get(a)) + ")");
                        }
                        row.add(decimal(r.standardisedDifference()));
                    } else {
                        row.add(pooled(r, arms, total));
                    }
                    br.add(row);
                }
                table(bh, bw, br);
                gap();
            }
            content.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    /** The pooled figure of a balance row: a count over every arm with its share of the group, or the mean over every answer. */
    static String pooled(BaselineBalance.Row r, List<String> arms, long total) {
        long count = arms.stream().mapToLong(a -> r.count().getOrDefault(a, 0L)).sum();
        if (r.kind().equals("mean")) {
            double sum = 0;
            for (String a : arms) {
                Double m = r.mean().get(a);
                sum += m == null ? 0 : m * r.count().get(a);
            }
            return (count == 0 ? "" : decimal(sum / count) + ", ") + "n " + count;
        }
        return total == 0 ? Long.toString(count) : count + " (" + percent(100.0 * count / total) + ")";
    }

    /** Randomised to asOf: the arms summed (the flow's own total also counts allocations after asOf). */
    static long randomised(ConsortFlow.Box b) {
        return b.randomisedByArm().values().stream().mapToLong(Long::longValue).sum();
    }

    private static String byArm(MonitoringPack pack, Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        pack.arms().forEach(a -> parts.add(label(pack, a) + " " + counts.getOrDefault(a, 0L)));
        return String.join(", ", parts);
    }

    private static String label(MonitoringPack pack, String arm) {
        return pack.armLabels().getOrDefault(arm, arm);
    }

    private static String unit(ConsortFlow.Box b) {
        return switch (b.level()) {
            case RecruitmentReport.TRIAL -> "Whole trial";
            case RecruitmentReport.SITE -> "Site " + b.site();
            default -> b.trialGroup() == null ? "Site " + b.site() + ", erased unscreened" : "Group " + b.trialGroup();
        };
    }

    private static String levelName(String level) {
        return level.equals(RecruitmentReport.SITE) ? "Site" : "Group";
    }

    private static String n(long value) {
        return Long.toString(value);
    }

    private static String number(Integer value) {
        return value == null ? "" : value.toString();
    }

    static String percent(Double value) {
        return value == null ? "" : String.format(Locale.UK, "%.1f%%", value);
    }

    static String decimal(Double value) {
        return value == null ? "" : String.format(Locale.UK, "%.2f", value);
    }

    private void heading(String text) throws IOException {
        if (y < MARGIN + 6 * LEADING) {
            newPage();
        }
        text(bold, 11, text);
    }

    private void line(String text) throws IOException {
        for (String part : wrap(text, PAGE.getWidth() - 2 * MARGIN)) {
            text(regular, SIZE, part);
        }
    }

    private void gap() {
        y -= LEADING / 2;
    }

    private void text(PDType1Font font, float size, String text) throws IOException {
        if (y < MARGIN + size) {
            newPage();
        }
        y -= size + 3;
        show(font, size, MARGIN, y, text);
    }

    private void table(List<String> header, List<Float> widths, List<List<String>> rows) throws IOException {
        if (y < MARGIN + 3 * LEADING) {
            newPage();
        }
        row(bold, header, widths);
        for (List<String> r : rows) {
            if (y < MARGIN + LEADING) {
                newPage();
                row(bold, header, widths);
            }
            row(regular, r, widths);
        }
    }

    private void row(PDType1Font font, List<String> cells, List<Float> widths) throws IOException {
        y -= LEADING;
        float x = MARGIN;
        for (int i = 0; i < cells.size(); i++) {
            float width = widths.get(i);
            show(font, SIZE, x, y, fit(font, cells.get(i), width - 6));
            x += width;
        }
    }

    private void show(PDType1Font font, float size, float x, float atY, String text) throws IOException {
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(x, atY);
        content.showText(printable(font, text));
        content.endText();
    }

    private void newPage() throws IOException {
        if (content != null) {
            content.close();
        }
        PDPage page = new PDPage(PAGE);
        document.addPage(page);
        content = new PDPageContentStream(document, page);
        y = PAGE.getHeight() - MARGIN;
    }

    private List<String> wrap(String text, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ")) {
            String tried = current.isEmpty() ? word : current + " " + word;
            if (!current.isEmpty() && regular.getStringWidth(printable(regular, tried)) / 1000 * SIZE > width) {
                lines.add(current.toString());
                current = new StringBuilder(word);
            } else {
                current = new StringBuilder(tried);
            }
        }
        lines.add(current.toString());
        return lines;
    }

    /** Cut to the column's width, so that one cell never runs into the next. */
    private static String fit(PDType1Font font, String text, float width) throws IOException {
        String s = printable(font, text == null ? "" : text);
        if (font.getStringWidth(s) / 1000 * SIZE <= width) {
            return s;
        }
        while (!s.isEmpty() && font.getStringWidth(s + "...") / 1000 * SIZE > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "...";
    }
}
