package org.ipstrial.api.confirmation;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.assertj.core.api.AbstractStringAssert;

/** What the confirmation tests share: a real SMTP server, the PDF read back, and identifiers looked for everywhere. */
final class ConfirmationCheck {
    static final String TRIAL = "IPS demo trial";
    /** The demo trial's arm words (config/trial-demo.yml) and the arm codes. */
    static final List<String> ARM_WORDS = List.of("IPS employment support", "usual support", "treatment", "control");

    private ConfirmationCheck() {}

    /** GreenMail's SMTP server on loopback, at a port the system chose (or at {@code port}, to start it again). */
    static GreenMail smtpServer(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    record Download(int status, String contentType, String disposition, byte[] body) {}

    static Download download(String base, String token, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Download(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                r.headers().firstValue("Content-Disposition").orElse(""), r.body());
    }

    /** The PDF's text as PDFBox extracts it, and its document information. */
    static String pdfText(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            var info = document.getDocumentInformation();
            return new PDFTextStripper().getText(document) + "\n" + info.getTitle() + "\n" + info.getSubject() + "\n"
                    + info.getKeywords() + "\n" + info.getAuthor();
        }
    }

    /** Every identifier of the person, as given and as a page might print it. */
    static List<String> identifiersOf(Map<String, Object> identity) {
        List<String> found = new ArrayList<>();
        for (String field : List.of("nationalInsuranceNumber", "nhsNumber", "givenName", "familyName", "postcode", "phone", "email",
                "address")) {
            found.add((String) identity.get(field));
        }
        String nhs = (String) identity.get("nhsNumber");
        found.add(nhs.substring(0, 3) + " " + nhs.substring(3, 6) + " " + nhs.substring(6));
        LocalDate born = LocalDate.parse((String) identity.get("dateOfBirth"));
        found.add(born.toString());
        found.add(born.format(DateTimeFormatter.ofPattern("dd/MM/uuuu")));
        found.add(born.format(DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.UK)));
        return found;
    }

    static void hasNoIdentifier(AbstractStringAssert<?> text, Map<String, Object> identity) {
        for (String identifier : identifiersOf(identity)) {
            text.doesNotContainIgnoringCase(identifier);
        }
    }
}
