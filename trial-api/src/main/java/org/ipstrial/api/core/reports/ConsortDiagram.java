package org.ipstrial.api.core.reports;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The CONSORT 2010 flow diagram of one row of the {@link ConsortFlow} (the whole trial or one trial
 * group), drawn as SVG from that row's figures alone: enrolment (assessed, excluded with reasons),
 * randomised, allocation per arm side by side, follow-up (withdrawals, deaths, erasures) and
 * analysis. Every figure is a text element with a {@code data-figure} attribute naming the field of
 * the CONSORT table it comes from (or how it is derived from them), so a reader can check it.
 *
 * <p>The table splits only randomisation by arm; follow-up and analysis figures are the group's
 * (both arms), and the diagram says so rather than inventing a split. Nothing here is about a
 * person: counts, criterion wordings, arm and group names from the trial definition, all escaped.
 */
public final class ConsortDiagram {
    static final int WIDTH = 760;
    static final int MARGIN = 20;
    static final int LINE = 17;
    static final int PAD = 8;
    static final int GAP = 28;
    static final double CHAR_WIDTH = 6.6;

    private final StringBuilder body = new StringBuilder();
    private int y = MARGIN;

    private ConsortDiagram() {}

    /**
     * @param title the unit's name ("Whole trial" or the trial group's name)
     * @param armLabels arm code to the trial definition's words
     */
    public static byte[] draw(ConsortFlow flow, ConsortFlow.Box box, String title, Map<String, String> armLabels) {
        Objects.requireNonNull(box, "box");
        return new ConsortDiagram().render(flow, box, title, armLabels).getBytes(StandardCharsets.UTF_8);
    }

    private String render(ConsortFlow flow, ConsortFlow.Box b, String title, Map<String, String> armLabels) {
        text(MARGIN, y + 14, "CONSORT flow: " + title, "title", null);
        y += 24;
        String until = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm").withZone(ZoneId.of("Europe/London")).format(flow.armsUntil());
        text(MARGIN, y + 12, flow.armsLive() ? "Arm split live (statistician's view)."
                : "Arm split counts randomisations before " + until + " (UK time) only.", "note", null);
        y += 26;

        int mainWidth = 300;
        int mainX = MARGIN + 60;
        int sideX = mainX + mainWidth + 40;
        int sideWidth = WIDTH - MARGIN - sideX;
        heading("Enrolment");
        int assessedTop = y;
        int assessedBottom = box(mainX, mainWidth, List.of(line("Assessed for eligibility (n = %s)", "screened", b.screened())));
        // Excluded: everyone screened who was not randomised, with the table's reasons.
        long notYet = b.agreed() - b.randomised();
        List<Line> excluded = new ArrayList<>();
        excluded.add(line("Excluded (n = %s)", "excluded", b.screened() - b.randomised()));
        excluded.add(line("Not eligible (n = %s)", "ineligible", b.ineligible()));
        if (!b.ineligibleByReason().isEmpty()) {
            excluded.add(new Line("  Criteria not met:", null, null));
        }
        b.ineligibleByReason().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                excluded.add(line("  " + flow.reasonTexts().getOrDefault(e.getKey(), e.getKey()).replace("%", "%%") + " (n = %s)",
                        "ineligibleByReason." + e.getKey(), e.getValue())));
        excluded.add(line("Declined agreement (n = %s)", "declinedAgreement", b.declinedAgreement()));
        excluded.add(line("Awaiting agreement (n = %s)", "awaitingAgreement", b.awaitingAgreement()));
        excluded.add(line("Agreed, not yet randomised (n = %s)", "agreedNotRandomised", notYet));
        excluded.add(line("Erased before randomisation (n = %s)", "erasedBeforeRandomisation", b.erasedBeforeRandomisation()));
        if (!b.ineligibleByReason().isEmpty()) {
            excluded.add(new Line("  A person may fail several criteria.", null, null));
        }
        int sideTop = assessedBottom + GAP / 2;
        int saveY = y;
        y = sideTop;
        int sideBottom = box(sideX, sideWidth, excluded);
        y = Math.max(saveY, sideBottom + GAP);
        int middle = mainX + mainWidth / 2;
        arrow(middle, assessedBottom, middle, y);
        line(middle, sideTop + LINE, sideX, sideTop + LINE, true);
        int randomisedBottom = box(mainX, mainWidth, List.of(line("Randomised (n = %s)", "randomised", b.randomised())));

        heading("Allocation");
        List<String> arms = flow.arms();
        int columns = Math.max(1, arms.size());
        int columnWidth = (WIDTH - 2 * MARGIN - 60 - (columns - 1) * 20) / columns;
        int top = y;
        int bottom = top;
        for (int i = 0; i < arms.size(); i++) {
            String arm = arms.get(i);
            int x = MARGIN + 60 + i * (columnWidth + 20);
            y = top;
            bottom = Math.max(bottom, box(x, columnWidth, List.of(line("Allocated to " + armLabels.getOrDefault(arm, arm).replace("%", "%%")
                    + " (n = %s)", "randomisedByArm." + arm, b.randomisedByArm().getOrDefault(arm, 0L)))));
            arrow(middle, randomisedBottom, x + columnWidth / 2, top);
        }
        y = bottom + 6;
        long split = b.randomisedByArm().values().stream().mapToLong(Long::longValue).sum();
        if (!flow.armsLive() || split != b.randomised()) {
            List<Line> unsplit = List.of(line("Randomised since the arm cut-off, not split by arm (n = %s)", "randomisedNotSplit", b.randomised() - split));
            text(MARGIN + 60, y + 12, unsplit.get(0).format(), "note", unsplit.get(0));
            y += 22;
        }
        y += GAP / 2;

        heading("Follow-up");
        int full = WIDTH - 2 * MARGIN - 60;
        box(MARGIN + 60, full, List.of(
                new Line("Both arms together: the CONSORT table splits only randomisation by arm.", null, null),
                line("Withdrew from research contact (n = %s)", "withdrawnResearch", b.withdrawnResearch()),
                line("Died (n = %s)", "died", b.died()),
                line("Randomised, then their data erased on request (n = %s)", "erasedRandomised", b.erasedRandomised()),
                line("Withdrew from the service, research contact continues (n = %s)", "withdrawnService", b.withdrawnService())));
        y += GAP / 2;
        heading("Analysis");
        box(MARGIN + 60, full, List.of(
                line("Analysed, intention to treat (n = %s)", "analysed", b.randomised() - b.erasedRandomised()),
                new Line("Randomised less erased: withdrawals keep the data already collected.", null, null)));
        int height = y + MARGIN;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height + "\" viewBox=\"0 0 " + WIDTH + " "
                + height + "\" role=\"img\" aria-label=\"" + escape("CONSORT flow diagram: " + title) + "\">\n"
                + "<title>" + escape("CONSORT flow diagram: " + title) + "</title>\n"
                + "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>\n"
                + "<style>text{font-family:sans-serif;font-size:12px;fill:#111}.title{font-size:16px;font-weight:bold}"
                + ".heading{font-weight:bold;fill:#fff}.note{fill:#444;font-style:italic}rect.box{fill:#fff;stroke:#333}"
                + "rect.stage{fill:#2b5f8a}line{stroke:#333}</style>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n" + body + "</svg>\n";
    }

    /** One line of a box; {@code figure} names the figure shown where {@code %s} is. */
    record Line(String pattern, String figure, Long value) {
        /** The line's words; "(n = 12)" is joined by no-break spaces, so wrapping never splits a figure from its n. */
        String format() {
            return value == null ? pattern : String.format(java.util.Locale.UK, pattern.replace("(n = %s)", "(n\u00a0=\u00a0%s)"), value);
        }
    }

    private static Line line(String pattern, String figure, long value) {
        return new Line(pattern, figure, value);
    }

    private void heading(String stage) {
        body.append("<rect class=\"stage\" x=\"").append(MARGIN).append("\" y=\"").append(y).append("\" width=\"")
                .append(WIDTH - 2 * MARGIN).append("\" height=\"20\"/>\n");
        text(MARGIN + 6, y + 14, stage, "heading", null);
        y += 28;
    }

    /** A box at the current height with wrapped lines; returns its bottom and moves below it. */
    private int box(int x, int width, List<Line> lines) {
        int perLine = (int) ((width - 2 * PAD) / CHAR_WIDTH);
        List<List<String>> wrapped = lines.stream().map(l -> wrap(l.format().strip(), l.pattern().startsWith("  ") ? perLine - 2 : perLine)).toList();
        int rows = wrapped.stream().mapToInt(List::size).sum();
        int height = rows * LINE + 2 * PAD - 4;
        body.append("<rect class=\"box\" x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\"/>\n");
        int ty = y + PAD + 9;
        for (int i = 0; i < lines.size(); i++) {
            List<String> parts = wrapped.get(i);
            // A line given with two leading spaces is a detail of the one above: indented (SVG collapses spaces).
            int indent = lines.get(i).pattern().startsWith("  ") ? 14 : 0;
            for (int j = 0; j < parts.size(); j++) {
                // The figure goes on the line's last part, where its number is.
                text(x + PAD + indent, ty, parts.get(j), lines.get(i).figure() == null ? "note" : null,
                        j == parts.size() - 1 ? lines.get(i) : null);
                ty += LINE;
            }
        }
        int bottom = y + height;
        y = bottom + GAP;
        return bottom;
    }

    private void text(int x, int ty, String text, String cssClass, Line figure) {
        body.append("<text x=\"").append(x).append("\" y=\"").append(ty).append('"');
        if (cssClass != null) {
            body.append(" class=\"").append(cssClass).append('"');
        }
        if (figure != null && figure.figure() != null) {
            body.append(" data-figure=\"").append(escape(figure.figure())).append("\" data-value=\"").append(figure.value()).append('"');
        }
        body.append('>').append(escape(text)).append("</text>\n");
    }

    private void arrow(int x1, int y1, int x2, int y2) {
        line(x1, y1, x2, y2, true);
    }

    private void line(int x1, int y1, int x2, int y2, boolean arrow) {
        body.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2).append("\" y2=\"").append(y2)
                .append('"').append(arrow ? " marker-end=\"url(#arrow)\"" : "").append("/>\n");
    }

    /** Words to lines of at most {@code perLine} characters (a longer word gets a line of its own). */
    public static List<String> wrap(String text, int perLine) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split(" ", -1)) {
            if (current.length() > 0 && current.length() + 1 + word.length() > perLine) {
                out.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0 || word.isEmpty()) {
                current.append(' ');
            }
            current.append(word);
        }
        out.add(current.toString());
        return out;
    }

    /** XML text and attribute escaping; characters XML 1.0 cannot hold are dropped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c > 0xFFFF) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
