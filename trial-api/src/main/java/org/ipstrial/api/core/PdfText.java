package org.ipstrial.api.core;

import java.io.IOException;
import org.apache.pdfbox.pdmodel.font.PDType1Font;

/** Text for the PDFs the service draws (allocation confirmation, monitoring pack). */
public final class PdfText {
    private PdfText() {}

    /**
     * Text the standard font can draw: a character it has no glyph for becomes '?', never an
     * error (names and labels come from people and configuration).
     */
    public static String printable(PDType1Font font, String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            try {
                font.encode(ch);
                out.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                out.append('?');
            }
        });
        return out.toString();
    }
}
