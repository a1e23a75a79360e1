package org.ipstrial.api.reports;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A CONSORT diagram read back as XML: its figures by name, and all of its text. */
record ConsortSvg(Document document, Map<String, Long> figures, String allText) {
    static ConsortSvg read(byte[] svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
            if (!"svg".equals(doc.getDocumentElement().getLocalName())
                    || !"http://www.w3.org/2000/svg".equals(doc.getDocumentElement().getNamespaceURI())) {
                throw new AssertionError("not an SVG document");
            }
            Map<String, Long> figures = new LinkedHashMap<>();
            NodeList texts = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
            for (int i = 0; i < texts.getLength(); i++) {
                Element t = (Element) texts.item(i);
                if (t.hasAttribute("data-figure")) {
                    long value = Long.parseLong(t.getAttribute("data-value"));
                    // The number drawn is the one named: "(n = 12)" at the end of the line.
                    if (!t.getTextContent().replace('\u00a0', ' ').endsWith("(n = " + value + ")")) {
                        throw new AssertionError("figure " + t.getAttribute("data-figure") + " drawn as " + t.getTextContent());
                    }
                    if (figures.put(t.getAttribute("data-figure"), value) != null) {
                        throw new AssertionError("figure " + t.getAttribute("data-figure") + " drawn twice");
                    }
                }
            }
            return new ConsortSvg(doc, figures, doc.getDocumentElement().getTextContent().replace('\u00a0', ' '));
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException | java.io.IOException e) {
            throw new AssertionError("the diagram is not well-formed XML: " + e.getMessage(), e);
        }
    }
}
