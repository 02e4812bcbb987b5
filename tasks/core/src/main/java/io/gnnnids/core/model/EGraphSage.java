package io.gnnnids.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.pytorch.jni.JniUtils;
import io.gnnnids.core.graph.EdgeGraph;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * E-GraphSAGE edge classifier: node embeddings from mean-aggregated {@code [h_u ; e_uv]} messages, then an MLP on
 * every edge that says benign (logit 0) or attack (logit 1).
 *
 * <p>Layer k: {@code h_v' = dropout(ReLU(W_k [h_v ; mean_{u~v} [h_u ; e_uv]] + b_k))}, where {@code u~v} runs over
 * the flows of v in both directions (see {@link GraphArrays}). Edge head:
 * {@code logits = W_o dropout(ReLU(W_h [h_src ; h_dst ; e_uv] + b_h)) + b_o}. The head sees the edge's own features
 * on purpose (the original paper has {@code [h_src ; h_dst]} only): with node embeddings alone every flow between the
 * same two endpoints in a window gets the same score, so a compromised host's benign flows and its attacks could not
 * be told apart. {@code W_h} is kept as three blocks so {@code h W_src} and {@code h W_dst} are computed once per node,
 * not per edge.
 *
 * <p>Parameters are plain engine arrays owned by this object; one instance is used by one thread at a time.
 * Close it to free the native memory.
 */
public final class EGraphSage implements AutoCloseable {

    /** File name under which a model's parameters are stored next to other artifacts. */
    public static final String PARAMETERS_FILE = "model.params";

    private static final int MAGIC = 0x45475347; // "EGSG"
    private static final int FORMAT_VERSION = 1;
    private static final int CLASSES = 2;

    /** The model's size; everything needed, with the parameters, to rebuild it. */
    public record Architecture(int nodeDim, int edgeDim, int hidden, int layers, double dropout) {
        public Architecture {
            if (nodeDim < 0 || edgeDim < 0) throw new IllegalArgumentException("feature dimensions must be >= 0");
            if (hidden < 1 || layers < 1) throw new IllegalArgumentException("hidden and layers must be >= 1");
            if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1)");
        }

        /** Parameter names and shapes in a fixed order (the order of the saved file). */
        Map<String, Shape> parameterShapes() {
            Map<String, Shape> shapes = new LinkedHashMap<>();
            int in = nodeDim;
            for (int k = 0; k < layers; k++) {
                shapes.put("layer" + k + ".weight", new Shape(2L * in + edgeDim, hidden));
                shapes.put("layer" + k + ".bias", new Shape(hidden));
                in = hidden;
            }
            shapes.put("head.src.weight", new Shape(hidden, hidden));
            shapes.put("head.dst.weight", new Shape(hidden, hidden));
            shapes.put("head.edge.weight", new Shape(edgeDim, hidden));
            shapes.put("head.bias", new Shape(hidden));
            shapes.put("out.weight", new Shape(hidden, CLASSES));
            shapes.put("out.bias", new Shape(CLASSES));
            return shapes;
        }
    }

    private final Architecture architecture;
    private final NDManager manager;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    // The parameters by role, for the forward pass.
    private final NDArray[] layerWeight;
    private final NDArray[] layerBias;
    private final NDArray headSrc;
    private final NDArray headDst;
    private final NDArray headEdge;
    private final NDArray headBias;
    private final NDArray outWeight;
    private final NDArray outBias;

    private EGraphSage(Architecture architecture, Map<String, float[]> values) {
        this.architecture = architecture;
        this.manager = Djl.init().newBaseManager();
        for (Map.Entry<String, Shape> p : architecture.parameterShapes().entrySet()) {
            parameters.put(p.getKey(), manager.create(values.get(p.getKey()), p.getValue()));
        }
        layerWeight = new NDArray[architecture.layers()];
        layerBias = new NDArray[architecture.layers()];
        for (int k = 0; k < architecture.layers(); k++) {
            layerWeight[k] = parameters.get("layer" + k + ".weight");
            layerBias[k] = parameters.get("layer" + k + ".bias");
        }
        headSrc = parameters.get("head.src.weight");
        headDst = parameters.get("head.dst.weight");
        headEdge = parameters.get("head.edge.weight");
        headBias = parameters.get("head.bias");
        outWeight = parameters.get("out.weight");
        outBias = parameters.get("out.bias");
    }

    /**
     * A freshly initialised model: He-uniform weights for the ReLU layers, Xavier-uniform for the output layer,
     * zero biases, all drawn from {@code seed} so the same seed gives the same start.
     */
    public static EGraphSage create(Architecture architecture, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, Shape> shapes = architecture.parameterShapes();
        for (Map.Entry<String, Shape> p : shapes.entrySet()) {
            Shape shape = p.getValue();
            float[] v = new float[Math.toIntExact(shape.size())];
            if (shape.dimension() == 2) {
                double bound = p.getKey().equals("out.weight")
                        ? Math.sqrt(6.0 / (shape.get(0) + shape.get(1)))
                        : Math.sqrt(6.0 / fanIn(p.getKey(), shape, architecture));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
            values.put(p.getKey(), v);
        }
        return new EGraphSage(architecture, values);
    }

    // The head's three blocks form one layer over [h_src ; h_dst ; e_uv]: its fan-in is their sum.
    private static long fanIn(String name, Shape shape, Architecture a) {
        return name.startsWith("head.") ? 2L * a.hidden() + a.edgeDim() : shape.get(0);
    }

    public Architecture architecture() {
        return architecture;
    }

    /**
     * Probability of attack (softmax of the logits, class 1) for every edge of {@code g}, in edge order; dropout
     * off, no gradient recorded. All native memory of the call is freed before it returns.
     */
    public float[] score(EdgeGraph g) {
        checkFits(g);
        if (g.edges() == 0) return new float[0];
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager call = manager.newSubManager()) {
            return attackProbability(edgeHidden(GraphArrays.forScoring(call, g), false))
                    .toFloatArray();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /**
     * Scores of every graph, as {@link #score(EdgeGraph)} gives them, with several graphs per forward pass: graphs
     * are taken in order into disjoint unions of up to {@code batchEdges} edges ({@link GraphBatch}), which saves the
     * engine's fixed cost per operation on small windows.
     */
    public List<float[]> score(List<EdgeGraph> graphs, int batchEdges) {
        graphs.forEach(this::checkFits);
        List<float[]> out = new ArrayList<>(graphs.size());
        for (List<EdgeGraph> run : GraphBatch.group(graphs, batchEdges)) {
            GraphBatch batch = GraphBatch.of(run);
            out.addAll(batch.split(score(batch.graph())));
        }
        return out;
    }

    /**
     * The edge head's hidden activations (E x hidden). Every operation has an array of {@code g} (or a result of
     * one) as its first operand, so all results belong to {@code g}'s manager and are freed with it, never with the
     * model's. In-place additions save a pass over E x hidden memory each; autograd allows them here because
     * matrix products do not keep their outputs for the backward pass.
     */
    NDArray edgeHidden(GraphArrays g, boolean training) {
        return edgeHidden(g, training, null);
    }

    /**
     * As {@link #edgeHidden(GraphArrays, boolean)}; when {@code preActivations} is given (one slot per layer and one
     * for the head), it receives each layer's values before the ReLU, which the ReLU leaves as they are.
     */
    private NDArray edgeHidden(GraphArrays g, boolean training, NDArray[] preActivations) {
        float dropout = (float) architecture.dropout();
        NDArray edgeMessages = g.edgeMessages; // the same in every layer
        NDArray h = g.nodes;
        for (int k = 0; k < architecture.layers(); k++) {
            NDArray neighbours = g.neighbourMean.matMul(h);
            NDArray in = NDArrays.concat(new NDList(h, neighbours, edgeMessages), 1);
            NDArray pre = in.matMul(layerWeight[k]).addi(layerBias[k]);
            if (preActivations != null) preActivations[k] = pre;
            h = dropout(Activation.relu(pre), dropout, training);
        }
        NDArray hidden = g.edges.matMul(headEdge).addi(nodeTerms(g, h)).addi(headBias);
        if (preActivations != null) preActivations[architecture.layers()] = hidden;
        return dropout(Activation.relu(hidden), dropout, training);
    }

    /**
     * What a scoring pass computed on the way, for the rows a caller asked for: each layer's node values before
     * the ReLU ({@code layers[k]}, {@code nodes.length x hidden}, row-major) and the edge head's ({@code head},
     * {@code edges.length x hidden}).
     */
    public record Activations(float[] scores, int[] nodes, float[][] layers, int[] edges, float[] head) {}

    /** Which rows to keep, chosen once the scores are known. */
    public record Selection(int[] nodes, int[] edges) {
        public static final Selection NONE = new Selection(new int[0], new int[0]);
    }

    /**
     * Scores every edge of {@code g}, as {@link #score(EdgeGraph)} does, and keeps the intermediate values of the
     * nodes and edges {@code select} picks from the scores: what an explanation or the family head needs, at no
     * cost beyond copying those rows.
     */
    public Activations scoreWithActivations(EdgeGraph g, Function<float[], Selection> select) {
        checkFits(g);
        int layers = architecture.layers();
        if (g.edges() == 0)
            return new Activations(new float[0], new int[0], new float[layers][0], new int[0], new float[0]);
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager call = manager.newSubManager()) {
            NDArray[] pre = new NDArray[layers + 1];
            float[] scores = attackProbability(edgeHidden(GraphArrays.forScoring(call, g), false, pre))
                    .toFloatArray();
            Selection s = select.apply(scores);
            float[][] nodeRows = new float[layers][];
            for (int k = 0; k < layers; k++) nodeRows[k] = rows(pre[k], s.nodes());
            return new Activations(scores, s.nodes(), nodeRows, s.edges(), rows(pre[layers], s.edges()));
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static float[] rows(NDArray matrix, int[] rows) {
        if (rows.length == 0) return new float[0];
        long[] index = new long[rows.length];
        for (int i = 0; i < rows.length; i++) index[i] = rows[i];
        return matrix.get(new NDIndex("{}", matrix.getManager().create(index))).toFloatArray();
    }

    /** A copy of one parameter's values (row-major), by its name in {@link Architecture#parameterShapes()}. */
    float[] values(String name) {
        return parameters.get(name).toFloatArray();
    }

    /** {@code S[src] + D[dst]} for every edge, S = h W_src and D = h W_dst (see {@link GraphArrays}). */
    private NDArray nodeTerms(GraphArrays g, NDArray h) {
        if (g.endpoints != null) {
            return g.endpoints.matMul(NDArrays.concat(new NDList(h.matMul(headSrc), h.matMul(headDst)), 0));
        }
        return h.matMul(headSrc)
                .get(new NDIndex("{}", g.src))
                .addi(h.matMul(headDst).get(new NDIndex("{}", g.dst)));
    }

    /** Class logits (E x 2) from {@link #edgeHidden}: what the loss needs. */
    NDArray logits(NDArray edgeHidden) {
        return edgeHidden.matMul(outWeight).addi(outBias);
    }

    /**
     * Probability of attack (E x 1) from {@link #edgeHidden}, computed as sigmoid(logit_1 - logit_0), which is
     * softmax(logits)[:, 1] with half the product and no E x 2 intermediate.
     */
    NDArray attackProbability(NDArray edgeHidden) {
        float[] w = outWeight.toFloatArray();
        float[] b = outBias.toFloatArray();
        float[] difference = new float[architecture.hidden()];
        for (int j = 0; j < difference.length; j++) difference[j] = w[2 * j + 1] - w[2 * j];
        NDManager manager = edgeHidden.getManager();
        return Activation.sigmoid(edgeHidden
                .matMul(manager.create(difference, new Shape(difference.length, 1)))
                .addi(b[1] - b[0]));
    }

    private static NDArray dropout(NDArray x, float rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, rate, true).singletonOrThrow() : x;
    }

    void checkFits(EdgeGraph g) {
        if (g.nodeDim() != architecture.nodeDim() || g.edgeDim() != architecture.edgeDim()) {
            throw new IllegalArgumentException("graph has " + g.nodeDim() + " node and " + g.edgeDim()
                    + " edge features but the model expects " + architecture.nodeDim() + " and "
                    + architecture.edgeDim() + ": build the graph with the feature settings the model was trained on");
        }
    }

    /** The parameters in a fixed order, for the optimiser. */
    List<NDArray> parameters() {
        return new ArrayList<>(parameters.values());
    }

    void requireGradients(boolean required) {
        for (NDArray p : parameters.values()) p.setRequiresGradient(required);
    }

    /** A copy of every parameter's values, in {@link #parameters()} order. */
    float[][] snapshot() {
        return parameters.values().stream().map(NDArray::toFloatArray).toArray(float[][]::new);
    }

    /** A new model with this architecture and the given parameter values (from {@link #snapshot()}). */
    EGraphSage withValues(float[][] values) {
        Map<String, float[]> byName = new LinkedHashMap<>();
        int i = 0;
        for (String name : parameters.keySet()) byName.put(name, values[i++]);
        return new EGraphSage(architecture, byName);
    }

    /** Arrays still held by this model, its calls included (the parameters once every call has returned). */
    int openArrays() {
        return manager.getManagedArrays().size();
    }

    /** Writes the architecture and parameters to {@code file} (by convention {@link #PARAMETERS_FILE}). */
    public void save(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            save(out);
        }
    }

    /** Writes the architecture and parameters; the stream is flushed, not closed. */
    public void save(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeInt(architecture.nodeDim());
        out.writeInt(architecture.edgeDim());
        out.writeInt(architecture.hidden());
        out.writeInt(architecture.layers());
        out.writeDouble(architecture.dropout());
        out.writeInt(parameters.size());
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
            out.writeUTF(p.getKey());
            float[] v = p.getValue().toFloatArray();
            out.writeInt(v.length);
            for (float f : v) out.writeFloat(f);
        }
        out.flush();
    }

    /** Reads a model written by {@link #save(Path)}; it scores exactly as the saved one did. */
    public static EGraphSage load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(
                    "cannot read model parameters " + file + ": " + e.getMessage()
                            + " (expected a file written by this version's train step)",
                    e);
        }
    }

    /** Reads a model written by {@link #save(OutputStream)}. */
    public static EGraphSage load(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
        if (in.readInt() != MAGIC) throw new IOException("not an E-GraphSAGE parameter file");
        int version = in.readInt();
        if (version != FORMAT_VERSION) throw new IOException("unsupported format version " + version);
        Architecture architecture =
                new Architecture(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readDouble());
        Map<String, Shape> shapes = architecture.parameterShapes();
        int count = in.readInt();
        if (count != shapes.size()) throw new IOException(count + " parameters, expected " + shapes.size());
        Map<String, float[]> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            Shape shape = shapes.get(name);
            int length = in.readInt();
            if (shape == null || length != shape.size()) {
                throw new IOException("parameter " + name + " of " + length + " values does not fit the architecture");
            }
            float[] v = new float[length];
            for (int j = 0; j < length; j++) v[j] = in.readFloat();
            values.put(name, v);
        }
        if (!values.keySet().equals(shapes.keySet())) throw new IOException("parameter names do not match");
        return new EGraphSage(architecture, values);
    }

    @Override
    public void close() {
        manager.close();
    }
}
