package dev.nn4j.data.sets;

import dev.nn4j.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("t.csv"), text);
    }

    private String error(String text, String label, List<String> features) throws IOException {
        Path f = csv(text);
        return assertThrows(IllegalArgumentException.class, () -> CsvDataset.load(f, label, features)).getMessage();
    }

    @Test
    void stringLabelsBecomeIdsInSortedOrderAndEveryOtherColumnIsAFeature() throws IOException {
        TensorDataset d = CsvDataset.load(csv("""
                width,species,length
                1.5,versicolor,-2
                "3",setosa,4e1
                .5,virginica,+7.25
                2,setosa,0
                """), "species");
        assertArrayEquals(new int[] {4, 2}, d.inputs().shape());
        assertArrayEquals(new float[] {1.5f, -2, 3, 40, 0.5f, 7.25f, 2, 0}, d.inputs().toFloatArray());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classes());
        assertArrayEquals(new float[] {1, 0, 2, 0}, d.targets().toFloatArray());
    }

    @Test
    void chosenFeaturesComeInTheGivenOrder() throws IOException {
        TensorDataset d = CsvDataset.load(csv("a,b,c,y\n1,2,3,x\n4,5,6,y\n"), "y", List.of("c", "a"));
        assertArrayEquals(new float[] {3, 1, 6, 4}, d.inputs().toFloatArray());
    }

    @Test
    void wholeNumberLabelsAreClassIdsAndFractionalOnesARegressionTarget() throws IOException {
        TensorDataset classes = CsvDataset.load(csv("x,label\n0.1,2\n0.2,0\n0.3,2\n"), "label");
        assertArrayEquals(new float[] {2, 0, 2}, classes.targets().toFloatArray());
        assertEquals(List.of("0", "1", "2"), classes.classes());
        TensorDataset regression = CsvDataset.load(csv("x,price\n1,2.5\n2,-1\n"), "price");
        assertArrayEquals(new float[] {2.5f, -1}, regression.targets().toFloatArray());
        assertEquals(List.of(), regression.classes());
        // one non-numeric label makes them all names, sorted as strings
        TensorDataset names = CsvDataset.load(csv("x,y\n1,10\n2,9\n3,n/a\n"), "y");
        assertEquals(List.of("10", "9", "n/a"), names.classes());
        assertArrayEquals(new float[] {0, 1, 2}, names.targets().toFloatArray());
    }

    @Test
    void aBadValueGivesItsLineAndColumn() throws IOException {
        String text = "a,b,label\n1,2,x\n3,\"multi\nline\",y\nabc,6,z\n";
        assertEquals(dir.resolve("t.csv") + ": line 3, column 'b' (field 2): 'multi\nline' is not a finite decimal number", error(text, "label", List.of()));
        // without column b, the record after the quoted line break (which starts on line 5) is the first bad one
        assertEquals(dir.resolve("t.csv") + ": line 5, column 'a' (field 1): 'abc' is not a finite decimal number", error(text, "label", List.of("a")));
    }

    @Test
    void emptyNanAndInfiniteFeaturesAreErrors() throws IOException {
        assertEquals(dir.resolve("t.csv") + ": line 2, column 'a' (field 1): '' is not a number (the field is empty)", error("a,y\n,1\n", "y", List.of()));
        assertEquals(dir.resolve("t.csv") + ": line 3, column 'a' (field 1): 'NaN' is not a finite decimal number", error("a,y\n1,1\nNaN,1\n", "y", List.of()));
        assertEquals(dir.resolve("t.csv") + ": line 2, column 'a' (field 1): '1e99' is not a finite decimal number", error("a,y\n1e99,1\n", "y", List.of()));
    }

    @Test
    void aRowWithTheWrongFieldCountOrAnEmptyLabelIsAnError() throws IOException {
        assertEquals(dir.resolve("t.csv") + ": line 3 has 2 fields but the header has 3", error("a,b,y\n1,2,3\n1,2\n", "y", List.of()));
        assertEquals(dir.resolve("t.csv") + ": line 2, column 'y': the label is empty", error("a,y\n1,\n", "y", List.of()));
    }

    @Test
    void aMissingColumnListsTheAvailableOnes() throws IOException {
        assertEquals(dir.resolve("t.csv") + ": no label column 'species'; the columns are: sepal length, sepal width, class",
                error("sepal length,sepal width,class\n1,2,a\n", "species", List.of()));
        assertEquals(dir.resolve("t.csv") + ": no feature column 'petal'; the columns are: a, y", error("a,y\n1,2\n", "y", List.of("petal")));
        assertEquals(dir.resolve("t.csv") + ": column 'y' cannot be both the label and a feature", error("a,y\n1,2\n", "y", List.of("a", "y")));
    }

    @Test
    void headerProblemsAreErrors() throws IOException {
        assertEquals(dir.resolve("t.csv") + ": the file is empty; expected a header row naming the columns", error("", "y", List.of()));
        assertEquals(dir.resolve("t.csv") + ": no data rows after the header", error("a,y\n", "y", List.of()));
        assertEquals(dir.resolve("t.csv") + ": line 1: column name 'a' appears twice", error("a,a,y\n1,2,3\n", "y", List.of()));
        assertEquals(dir.resolve("t.csv") + ": no feature columns: the only column is the label 'y'", error("y\n1\n", "y", List.of()));
    }
}
