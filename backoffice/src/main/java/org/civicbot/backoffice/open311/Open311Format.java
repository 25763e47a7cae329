package org.civicbot.backoffice.open311;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two formats GeoReport v2 answers in, chosen by the path's extension ({@code requests.json},
 * {@code requests.xml}). Answers are built once, as lists of ordered maps, and written in either: in JSON as they
 * are; in XML as the specification's examples are, a root element, one element per item, one per field, a field
 * without a value as an empty element.
 */
enum Open311Format {
    JSON(new MediaType("application", "json", StandardCharsets.UTF_8)),
    XML(new MediaType("text", "xml", StandardCharsets.UTF_8));

    private static final XMLOutputFactory XML_OUTPUT = XMLOutputFactory.newFactory();

    private final MediaType type;

    Open311Format(MediaType type) {
        this.type = type;
    }

    /** The format an extension names; {@link Open311Api.Problem} 404 for any other. */
    static Open311Format of(String extension) {
        return switch (extension == null ? "" : extension) {
            case "json" -> JSON;
            case "xml" -> XML;
            default -> throw new Open311Api.Problem(HttpStatus.NOT_FOUND,
                    "there is no ." + extension + " format: ask for .json or .xml");
        };
    }

    /** The format of the path's extension, JSON when it has none it knows (for the errors of such paths). */
    static Open311Format ofPath(String path) {
        return path.endsWith(".xml") ? XML : JSON;
    }

    /**
     * A list answer.
     *
     * @param root the XML root ({@code services}, {@code service_requests}, {@code errors})
     * @param item the XML element of each item ({@code service}, {@code request}, {@code error})
     */
    ResponseEntity<byte[]> list(HttpStatus status, String root, String item, List<? extends Map<String, ?>> items,
            JsonMapper json) {
        byte[] body = this == JSON ? json.writeValueAsBytes(items) : xml(writer -> {
            writer.writeStartElement(root);
            for (Map<String, ?> one : items) {
                element(writer, item, one);
            }
            writer.writeEndElement();
        });
        return ResponseEntity.status(status).contentType(type).body(body);
    }

    /** A one-object answer (a service definition), {@code root} its XML element. */
    ResponseEntity<byte[]> object(String root, Map<String, ?> object, JsonMapper json) {
        byte[] body = this == JSON ? json.writeValueAsBytes(object) : xml(writer -> element(writer, root, object));
        return ResponseEntity.ok().contentType(type).body(body);
    }

    /** The GeoReport errors answer, {@code [{"code": 400, "description": "..."}]}. */
    ResponseEntity<byte[]> error(HttpStatus status, String description, JsonMapper json, HttpHeaders headers) {
        // In the specification's order (a Map.of's order changes from one run to the next).
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("code", status.value());
        error.put("description", description);
        ResponseEntity<byte[]> answer = list(status, "errors", "error", List.of(error), json);
        return ResponseEntity.status(status).headers(headers).contentType(type).body(answer.getBody());
    }

    private interface XmlBody {
        void write(XMLStreamWriter writer) throws XMLStreamException;
    }

    private static byte[] xml(XmlBody body) {
        try {
            StringWriter out = new StringWriter();
            XMLStreamWriter writer = XML_OUTPUT.createXMLStreamWriter(out);
            writer.writeStartDocument("UTF-8", "1.0");
            body.write(writer);
            writer.writeEndDocument();
            writer.close();
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("an XML answer could not be written", e);
        }
    }

    private static void element(XMLStreamWriter writer, String name, Object value) throws XMLStreamException {
        if (value == null) {
            writer.writeEmptyElement(name);
            return;
        }
        writer.writeStartElement(name);
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> field : map.entrySet()) {
                element(writer, String.valueOf(field.getKey()), field.getValue());
            }
        } else if (value instanceof List<?> list) {
            // attributes > attribute, values > value: the specification's plural and singular.
            String each = name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
            for (Object one : list) {
                element(writer, each, one);
            }
        } else {
            writer.writeCharacters(String.valueOf(value));
        }
        writer.writeEndElement();
    }
}
