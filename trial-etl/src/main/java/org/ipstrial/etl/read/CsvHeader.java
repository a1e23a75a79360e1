package org.ipstrial.etl.read;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The header row: column names, compared case-insensitively. */
public final class CsvHeader {
    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();

    CsvHeader(List<String> rawNames) {
        this.names = rawNames.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i);
        }
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public int indexOf(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }

    public boolean has(String column) {
        return index.containsKey(column);
    }
}
