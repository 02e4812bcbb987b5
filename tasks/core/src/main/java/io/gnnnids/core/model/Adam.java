package io.gnnnids.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba; PyTorch's defaults) over plain parameter arrays. DJL's optimisers expect its Trainer and
 * ParameterStore, which this model does not use; the update rule is a few lines.
 */
final class Adam implements AutoCloseable {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final List<NDArray> parameters;
    private final NDManager state;
    private final List<NDArray> firstMoment = new ArrayList<>();
    private final List<NDArray> secondMoment = new ArrayList<>();
    private int steps;

    Adam(NDManager parent, List<NDArray> parameters, double learningRate) {
        this.learningRate = learningRate;
        this.parameters = parameters;
        this.state = parent.newSubManager();
        for (NDArray p : parameters) {
            firstMoment.add(state.zeros(p.getShape()));
            secondMoment.add(state.zeros(p.getShape()));
        }
    }

    /**
     * Applies one update from the parameters' gradients, then zeroes the gradients (PyTorch accumulates them).
     * Must run with gradient recording off. Temporaries live in {@code step} and die with it.
     */
    void step(NDManager step) {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray p = parameters.get(i);
            NDArray m = firstMoment.get(i);
            NDArray v = secondMoment.get(i);
            NDArray g = p.getGradient();
            g.attach(step); // a new handle on the gradient: free it with the step
            step.tempAttachAll(m, v); // results of m and v operations go to the step, the moments stay
            // float scalars: a double would turn 0-d results into float64
            m.muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
            v.muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
            NDArray denominator = v.div((float) correction2).sqrt().addi((float) EPSILON);
            p.subi(m.mul((float) (learningRate / correction1)).divi(denominator));
            g.muli(0);
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
