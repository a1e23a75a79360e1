package org.ipstrial.api.core.confirmation;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Sends a confirmation over SMTP with Jakarta Mail (Angus), to the trial office's addresses: with
 * STARTTLS as configured (the server's certificate checked against its name and the JVM's trust
 * store) and, when a username is set, SMTP authentication with the password read once, at start.
 */
public final class ConfirmationMailer {
    private final ConfirmationMailSettings settings;
    private final Session session;

    public ConfirmationMailer(ConfirmationMailSettings settings) {
        this(settings, System::getenv);
    }

    /** {@code environment}: where a {@code passwordVariable} is looked up ({@code System::getenv} outside tests). */
    public ConfirmationMailer(ConfirmationMailSettings settings, Function<String, String> environment) {
        this.settings = settings;
        Optional<String> username = settings.getUsername();
        Optional<String> password = settings.password(environment);
        Properties p = properties(settings);
        Authenticator login = null;
        if (username.isPresent()) {
            PasswordAuthentication credentials = new PasswordAuthentication(username.get(), password.orElseThrow());
            login = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return credentials;
                }
            };
        }
        this.session = Session.getInstance(p, login);
    }

    /** The Jakarta Mail session's settings (no password among them: that goes through the authenticator). */
    static Properties properties(ConfirmationMailSettings settings) {
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", settings.getSmtpHost());
        p.put("mail.smtp.port", String.valueOf(settings.getSmtpPort()));
        String timeout = String.valueOf(settings.getTimeout().toMilliseconds());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.auth", String.valueOf(settings.getUsername().isPresent()));
        boolean tls = settings.getStartTls() != ConfirmationMailSettings.StartTls.off;
        p.put("mail.smtp.starttls.enable", String.valueOf(tls));
        p.put("mail.smtp.starttls.required", String.valueOf(settings.getStartTls() == ConfirmationMailSettings.StartTls.required));
        if (tls) {
            // The certificate must name the host we meant: without this, any certificate the trust store accepts would do.
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        return p;
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
