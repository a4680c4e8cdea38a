package dev.switchboard.lab.train;

import dev.switchboard.engine.encoder.VectorMath;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KMeansTest {
    @Test
    void recoversSeparableBlobs() {
        Random r = new Random(1);
        float[][] centers = {{0, 0}, {10, 0}, {0, 10}};
        float[][] pts = new float[300][];
        for (int i = 0; i < pts.length; i++) {
            float[] c = centers[i % 3];
            pts[i] = new float[]{c[0] + (float) r.nextGaussian(), c[1] + (float) r.nextGaussian()};
        }
        float[][] found = KMeans.fit(pts, 3, 100, 42);
        assertThat(found).hasNumberOfRows(3);
        // every true center has exactly one centroid near it
        Set<Integer> used = new HashSet<>();
        for (float[] c : centers) {
            int n = VectorMath.nearest(found, c);
            assertThat(VectorMath.squaredDistance(found[n], c)).isLessThan(0.5);
            used.add(n);
        }
        assertThat(used).hasSize(3);
        // points of one blob share a cluster
        for (int i = 3; i < pts.length; i++) {
            assertThat(VectorMath.nearest(found, pts[i])).isEqualTo(VectorMath.nearest(found, pts[i % 3]));
        }
    }

    @Test
    void fewerDistinctPointsThanKGivesFewerCentroids() {
        float[][] pts = {{1, 1}, {1, 1}, {2, 2}};
        assertThat(KMeans.fit(pts, 3, 10, 1).length).isLessThanOrEqualTo(3);
        assertThat(KMeans.fit(new float[][]{{1, 1}, {1, 1}}, 2, 10, 1)).hasNumberOfRows(1);
    }
}
