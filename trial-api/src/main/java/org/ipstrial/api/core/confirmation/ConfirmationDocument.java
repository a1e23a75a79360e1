package org.ipstrial.api.core.confirmation;

import static org.ipstrial.api.core.PdfText.printable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The printable confirmation for the recruit's file: one A4 page drawn with Apache PDFBox, in the
 * standard Helvetica fonts (nothing embedded, nothing fetched). It prints the allocation in the
 * trial's words; it is only ever made for a user who may read the recruit's allocation.
 */
public final class ConfirmationDocument {
    private static final float MARGIN = 56;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

    private ConfirmationDocument() {}

    public static byte[] pdf(AllocationConfirmation c) {
        PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle("Allocation confirmation " + c.participantIdForPeople());
            info.setSubject(printable(regular, c.trialName()));
            info.setCreator("IPS trial service");
            Calendar created = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            created.setTimeInMillis(c.allocatedAt().toEpochMilli());
            // The allocation's time, not the download's: the same confirmation prints the same file.
            info.setCreationDate(created);
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(document, page)) {
                Writer w = new Writer(text, PDRectangle.A4.getHeight() - MARGIN);
                w.line(bold, 18, printable(bold, c.trialName()));
                w.line(bold, 14, "Allocation confirmation");
                w.gap(10);
                w.field(bold, regular, "Participant", c.participantIdForPeople());
                w.field(bold, regular, "Site", printable(regular, c.siteName()));
                w.field(bold, regular, "Trial group", printable(regular, c.trialGroupName()));
                w.field(bold, regular, "Randomised", c.allocatedAtForPeople());
                w.field(bold, regular, "Randomised by", printable(regular, c.randomisedBy()));
                w.field(bold, regular, "Allocation", printable(regular, c.allocationWords()));
                w.field(bold, regular, "Next step", printable(regular, c.nextStep()));
                w.gap(16);
                w.wrapped(regular, 9, "For the recruit's trial file. This confirmation carries the participant identifier "
                        + "only: keep it with the recruit's consent form, where the name is.");
            }
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not draw the confirmation", e);
        }
    }

    /** Lines down the page from the top. */
    private static final class Writer {
        private final PDPageContentStream stream;
        private float y;

        Writer(PDPageContentStream stream, float top) {
            this.stream = stream;
            this.y = top;
        }

        void gap(float points) {
            y -= points;
        }

        void line(PDType1Font font, float size, String text) throws IOException {
            y -= size * 1.4f;
            stream.beginText();
            stream.setFont(font, size);
            stream.newLineAtOffset(MARGIN, y);
            stream.showText(text);
            stream.endText();
        }

        void field(PDType1Font labelFont, PDType1Font valueFont, String label, String value) throws IOException {
            float size = 11;
            List<String> lines = wrap(valueFont, size, value, WIDTH - 110);
            y -= size * 1.6f;
            stream.beginText();
            stream.setFont(labelFont, size);
            stream.newLineAtOffset(MARGIN, y);
            stream.showText(label);
            stream.endText();
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    y -= size * 1.3f;
                }
                stream.beginText();
                stream.setFont(valueFont, size);
                stream.newLineAtOffset(MARGIN + 110, y);
                stream.showText(lines.get(i));
                stream.endText();
            }
        }

        void wrapped(PDType1Font font, float size, String text) throws IOException {
            for (String l : wrap(font, size, text, WIDTH)) {
                line(font, size, l);
            }
        }

        private static List<String> wrap(PDType1Font font, float size, String text, float width) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String word : text.split(" ")) {
                String tried = current.isEmpty() ? word : current + " " + word;
                if (!current.isEmpty() && font.getStringWidth(tried) / 1000 * size > width) {
                    lines.add(current.toString());
                    current = new StringBuilder(word);
                } else {
                    current = new StringBuilder(tried);
                }
            }
            lines.add(current.toString());
            return lines;
        }
    }
}
