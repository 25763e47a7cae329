package org.civicbot.bot.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.SmallFloat;

/**
 * One language field of the phrase index as Lucene's {@link BM25Similarity} scores a term query on it: each term's
 * documents with the length-normalised frequency its scorer computes for them, read once from the index, so that a
 * sentence is scored by walking arrays rather than by rewriting and running a query for every message. Every figure
 * is the same float arithmetic as {@code BM25Similarity} and {@code BM25Scorer}, in the same order, so the scores are
 * Lucene's to the bit.
 */
final class Bm25Postings {

    /** {@code BM25Similarity}'s defaults, the ones {@code IndexSearcher} uses. */
    private static final float K1 = 1.2f;
    private static final float B = 0.75f;
    /** The field lengths the 256 values of a norm byte stand for, as {@code BM25Similarity.LENGTH_TABLE}. */
    private static final float[] LENGTH_TABLE = new float[256];

    static {
        for (int i = 0; i < LENGTH_TABLE.length; i++) {
            LENGTH_TABLE[i] = SmallFloat.byte4ToInt((byte) i);
        }
    }

    private final long docCount;
    /** By term, in the index's order (the {@link Vocabulary}'s ordinals): the documents it is in. */
    private final int[][] docs;
    /** ...and for each, {@code freq * 1 / (k1 * (1 - b + b * dl / avgdl))} as {@code BM25Scorer.score} has it. */
    private final float[][] frequencies;

    /** The field {@code field} of a one-segment index ({@code reader}, null for an empty index). */
    Bm25Postings(LeafReader reader, String field) throws IOException {
        Terms terms = reader == null ? null : reader.terms(field);
        List<int[]> docs = new ArrayList<>();
        List<float[]> frequencies = new ArrayList<>();
        if (terms == null) {
            this.docCount = 0;
        } else {
            this.docCount = terms.getDocCount();
            float averageLength = (float) (terms.getSumTotalTermFreq() / (double) docCount);
            float[] normInverse = new float[256];
            for (int i = 0; i < normInverse.length; i++) {
                normInverse[i] = 1f / (K1 * ((1 - B) + B * LENGTH_TABLE[i] / averageLength));
            }
            NumericDocValues norms = reader.getNormValues(field);
            byte[] normOfDoc = new byte[reader.maxDoc()];
            for (int doc = norms.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = norms.nextDoc()) {
                normOfDoc[doc] = (byte) norms.longValue();
            }
            TermsEnum each = terms.iterator();
            PostingsEnum postings = null;
            for (BytesRef term = each.next(); term != null; term = each.next()) {
                postings = each.postings(postings, PostingsEnum.FREQS);
                int[] in = new int[each.docFreq()];
                float[] frequency = new float[in.length];
                for (int i = 0; i < in.length; i++) {
                    in[i] = postings.nextDoc();
                    frequency[i] = postings.freq() * normInverse[normOfDoc[in[i]] & 0xFF];
                }
                docs.add(in);
                frequencies.add(frequency);
            }
        }
        this.docs = docs.toArray(int[][]::new);
        this.frequencies = frequencies.toArray(float[][]::new);
    }

    /**
     * Adds the score of a term query on term {@code ordinal} to each document it is in: BM25 with {@code boost} and
     * a document frequency of {@code docFreq}, which is the term's own or, for a term of a fuzzy clause, the blended
     * one of its near spellings (the highest of theirs).
     */
    void add(int ordinal, float boost, int docFreq, Scores scores) {
        float idf = (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D));
        float weight = boost * idf;
        int[] in = docs[ordinal];
        float[] frequency = frequencies[ordinal];
        for (int i = 0; i < in.length; i++) {
            scores.add(in[i], weight - weight / (1f + frequency[i]));
        }
    }

    /** A sentence's score in each document its clauses match, as they add up. */
    static final class Scores {

        /** Lucene's disjunctions add their clauses' float scores up in a double, and round the sum to a float. */
        private final double[] sums;
        private final boolean[] matched;
        private final int[] docs;
        private int count;

        Scores(int maxDoc) {
            this.sums = new double[maxDoc];
            this.matched = new boolean[maxDoc];
            this.docs = new int[maxDoc];
        }

        void add(int doc, float score) {
            sums[doc] += score;
            if (!matched[doc]) {
                matched[doc] = true;
                docs[count++] = doc;
            }
        }

        /** The best {@code n} documents as Lucene's top-docs collector ranks them: by score, then the lower id. */
        ScoreDoc[] top(int n) {
            // A score is not negative, so its float bits order as it does; the lower id wins a tie.
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = (long) Float.floatToIntBits((float) sums[docs[i]]) << 32 | Integer.MAX_VALUE - docs[i];
            }
            Arrays.sort(keys);
            ScoreDoc[] top = new ScoreDoc[Math.min(n, count)];
            for (int i = 0; i < top.length; i++) {
                long key = keys[count - 1 - i];
                top[i] = new ScoreDoc(Integer.MAX_VALUE - (int) key, Float.intBitsToFloat((int) (key >>> 32)));
            }
            return top;
        }
    }
}
