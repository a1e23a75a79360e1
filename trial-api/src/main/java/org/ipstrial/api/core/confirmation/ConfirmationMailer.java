package org.ipstrial.api.core.confirmation;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Sends a confirmation over SMTP with Jakarta Mail (Angus), to the trial office's addresses. */
public final class ConfirmationMailer {
    private final ConfirmationMailSettings settings;
    private final Session session;

    public ConfirmationMailer(ConfirmationMailSettings settings) {
        this.settings = settings;
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", settings.getSmtpHost());
        p.put("mail.smtp.port", String.valueOf(settings.getSmtpPort()));
        String timeout = String.valueOf(settings.getTimeout().toMilliseconds());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        this.session = Session.getInstance(p);
    }

    public void send(ConfirmationMessage message) throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(settings.getFrom(), true));
        for (String to : settings.getTo()) {
            mail.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        }
        mail.setSubject(message.subject(), StandardCharsets.UTF_8.name());
        mail.setText(message.body(), StandardCharsets.UTF_8.name());
        mail.setSentDate(new java.util.Date());
        Transport.send(mail);
    }
}
