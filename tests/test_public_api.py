"""lamina's public namespaces against Keras 3's documented name lists.

Each list below is the set of public names of ``keras/api/<namespace>/__init__.py`` in keras-team/keras at
tag v3.15.1 (the Keras release lamina follows), top level included. A Keras name missing from lamina fails
the test unless it is in ``EXCLUDED`` with the reason it is left out; an excluded name that lamina has
gained fails too, so the list stays true. The ``ops`` namespaces are checked in tests/ops/test_ops_namespaces.py.
"""

import importlib

import pytest

import lamina

# Keras 3.15.1's names, per namespace (``top``: ``import keras``'s own names).
KERAS_NAMES = {
    "top": """
        DTypePolicy FloatDTypePolicy Function Initializer Input InputSpec KerasTensor Layer Loss Metric Model
        Operation Optimizer Quantizer Regularizer RematScope Sequential StatelessScope SymbolicScope Variable
        activations applications backend callbacks config constraints datasets device distillation
        distribution dtype_policies export initializers layers legacy losses metrics mixed_precision models
        name_scope ops optimizers preprocessing quantizers random regularizers remat saving tree utils version
        visualization wrappers
    """,
    "layers": """
        Activation ActivityRegularization AdaptiveAveragePooling1D AdaptiveAveragePooling2D
        AdaptiveAveragePooling3D AdaptiveMaxPooling1D AdaptiveMaxPooling2D AdaptiveMaxPooling3D Add
        AdditiveAttention AlphaDropout Attention AugMix AutoContrast Average AveragePooling1D AveragePooling2D
        AveragePooling3D AvgPool1D AvgPool2D AvgPool3D BatchNormalization Bidirectional CategoryEncoding
        CenterCrop Concatenate ContrastLimitedAdaptiveHistogramEqualization Conv1D Conv1DTranspose Conv2D
        Conv2DTranspose Conv3D Conv3DTranspose ConvLSTM1D ConvLSTM2D ConvLSTM3D Convolution1D
        Convolution1DTranspose Convolution2D Convolution2DTranspose Convolution3D Convolution3DTranspose
        Cropping1D Cropping2D Cropping3D CutMix Dense DepthwiseConv1D DepthwiseConv2D Discretization Dot
        Dropout ELU EinsumDense Embedding Equalization Flatten FlaxLayer GRU GRUCell GaussianDropout
        GaussianNoise GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D GlobalAvgPool1D
        GlobalAvgPool2D GlobalAvgPool3D GlobalMaxPool1D GlobalMaxPool2D GlobalMaxPool3D GlobalMaxPooling1D
        GlobalMaxPooling2D GlobalMaxPooling3D GroupNormalization GroupQueryAttention HashedCrossing Hashing
        Identity Input InputLayer InputSpec IntegerLookup JaxLayer LSTM LSTMCell Lambda Layer
        LayerNormalization LeakyReLU Masking MaxNumBoundingBoxes MaxPool1D MaxPool2D MaxPool3D MaxPooling1D
        MaxPooling2D MaxPooling3D Maximum MelSpectrogram Minimum MixUp MultiHeadAttention Multiply
        Normalization PReLU Permute Pipeline RMSNormalization RNN RandAugment RandomBrightness
        RandomColorDegeneration RandomColorJitter RandomContrast RandomCrop RandomElasticTransform
        RandomErasing RandomFlip RandomGaussianBlur RandomGrayscale RandomHue RandomInvert RandomPerspective
        RandomPosterization RandomRotation RandomSaturation RandomSharpness RandomShear RandomTranslation
        RandomZoom ReLU RepeatVector Rescaling Reshape Resizing ReversibleEmbedding STFTSpectrogram
        SeparableConv1D SeparableConv2D SeparableConvolution1D SeparableConvolution2D SimpleRNN SimpleRNNCell
        Softmax Solarization SpatialDropout1D SpatialDropout2D SpatialDropout3D SpectralNormalization
        StackedRNNCells StringLookup Subtract TFSMLayer TextVectorization TimeDistributed TorchModuleWrapper
        UnitNormalization UpSampling1D UpSampling2D UpSampling3D Wrapper ZeroPadding1D ZeroPadding2D
        ZeroPadding3D add average concatenate deserialize dot maximum minimum multiply serialize subtract
    """,
    "losses": """
        BinaryCrossentropy BinaryFocalCrossentropy CTC CategoricalCrossentropy CategoricalFocalCrossentropy
        CategoricalGeneralizedCrossEntropy CategoricalHinge Circle CosineSimilarity Dice Hinge Huber
        KLDivergence LogCosh Loss MeanAbsoluteError MeanAbsolutePercentageError MeanSquaredError
        MeanSquaredLogarithmicError Poisson SparseCategoricalCrossentropy SquaredHinge Tversky
        binary_crossentropy binary_focal_crossentropy categorical_crossentropy categorical_focal_crossentropy
        categorical_generalized_cross_entropy categorical_hinge circle cosine_similarity ctc deserialize dice
        get hinge huber kl_divergence log_cosh mean_absolute_error mean_absolute_percentage_error
        mean_squared_error mean_squared_logarithmic_error poisson serialize sparse_categorical_crossentropy
        squared_hinge tversky
    """,
    "metrics": """
        AUC Accuracy BinaryAccuracy BinaryCrossentropy BinaryIoU CategoricalAccuracy CategoricalCrossentropy
        CategoricalHinge ConcordanceCorrelation CosineSimilarity F1Score FBetaScore FalseNegatives
        FalsePositives Hinge IoU KLDivergence LogCoshError Mean MeanAbsoluteError MeanAbsolutePercentageError
        MeanIoU MeanMetricWrapper MeanSquaredError MeanSquaredLogarithmicError Metric OneHotIoU OneHotMeanIoU
        PearsonCorrelation Poisson Precision PrecisionAtRecall R2Score Recall RecallAtPrecision
        RootMeanSquaredError SensitivityAtSpecificity SparseCategoricalAccuracy SparseCategoricalCrossentropy
        SparseTopKCategoricalAccuracy SpecificityAtSensitivity SquaredHinge Sum TopKCategoricalAccuracy
        TrueNegatives TruePositives binary_accuracy binary_crossentropy binary_focal_crossentropy
        categorical_accuracy categorical_crossentropy categorical_focal_crossentropy categorical_hinge
        concordance_correlation deserialize get hinge huber kl_divergence log_cosh mean_absolute_error
        mean_absolute_percentage_error mean_squared_error mean_squared_logarithmic_error pearson_correlation
        poisson serialize sparse_categorical_accuracy sparse_categorical_crossentropy
        sparse_top_k_categorical_accuracy squared_hinge top_k_categorical_accuracy
    """,
    "optimizers": """
        Adadelta Adafactor Adagrad Adam AdamW Adamax Ftrl Lamb Lion LossScaleOptimizer MultiOptimizer Muon
        Nadam Optimizer OptimizerMap RMSprop SGD ScheduleFreeAdamW deserialize get legacy schedules serialize
    """,
    "optimizers.schedules": """
        CosineDecay CosineDecayRestarts ExponentialDecay InverseTimeDecay LearningRateSchedule
        PiecewiseConstantDecay PolynomialDecay deserialize serialize
    """,
    "callbacks": """
        BackupAndRestore CSVLogger Callback CallbackList EarlyStopping History LambdaCallback
        LearningRateScheduler ModelCheckpoint OrbaxCheckpoint ProgbarLogger ReduceLROnPlateau RemoteMonitor
        SwapEMAWeights TensorBoard TerminateOnNaN
    """,
    "initializers": """
        Constant GlorotNormal GlorotUniform HeNormal HeUniform Identity IdentityInitializer Initializer
        LecunNormal LecunUniform Ones Orthogonal OrthogonalInitializer RandomNormal RandomUniform STFT
        STFTInitializer TruncatedNormal VarianceScaling Zeros constant deserialize get glorot_normal
        glorot_uniform he_normal he_uniform identity lecun_normal lecun_uniform ones orthogonal random_normal
        random_uniform serialize stft truncated_normal variance_scaling zeros
    """,
    "regularizers": """
        L1 L1L2 L2 OrthogonalRegularizer Regularizer deserialize get l1 l1_l2 l2 orthogonal_regularizer
        serialize
    """,
    "constraints": """
        Constraint MaxNorm MinMaxNorm NonNeg UnitNorm deserialize get max_norm min_max_norm non_neg serialize
        unit_norm
    """,
    "activations": """
        celu deserialize elu exponential gelu get glu hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh
        leaky_relu linear log_sigmoid log_softmax mish relu relu6 selu serialize sigmoid silu soft_shrink
        softmax softplus softsign sparse_plus sparse_sigmoid sparsemax squareplus swish tanh tanh_shrink
        threshold
    """,
    "utils": """
        Config CustomObjectScope FeatureSpace Progbar PyDataset Sequence array_to_img
        audio_dataset_from_directory bounding_boxes clear_session custom_object_scope deserialize_keras_object
        disable_interactive_logging enable_interactive_logging get_custom_objects get_file get_registered_name
        get_registered_object get_source_inputs image_dataset_from_directory img_to_array
        is_interactive_logging_enabled is_keras_tensor legacy load_img model_to_dot normalize
        pack_x_y_sample_weight pad_sequences plot_model register_keras_serializable save_img
        serialize_keras_object set_random_seed split_dataset standardize_dtype text_dataset_from_directory
        timeseries_dataset_from_array to_categorical unpack_x_y_sample_weight
    """,
    "config": """
        backend disable_flash_attention disable_interactive_logging disable_traceback_filtering dtype_policy
        enable_flash_attention enable_interactive_logging enable_traceback_filtering
        enable_unsafe_deserialization epsilon floatx image_data_format is_flash_attention_enabled
        is_interactive_logging_enabled is_nnx_enabled is_traceback_filtering_enabled max_epochs
        max_steps_per_epoch set_backend set_dtype_policy set_epsilon set_floatx set_image_data_format
        set_max_epochs set_max_steps_per_epoch
    """,
    "saving": """
        CustomObjectScope KerasFileEditor custom_object_scope deserialize_keras_object get_custom_objects
        get_registered_name get_registered_object load_model load_weights register_keras_serializable
        save_model save_weights serialize_keras_object
    """,
    "dtype_policies": """
        AWQDTypePolicy DTypePolicy DTypePolicyMap FloatDTypePolicy GPTQDTypePolicy Int4DTypePolicy
        QuantizedDTypePolicy QuantizedFloat8DTypePolicy deserialize get serialize
    """,
    "models": """
        Model Sequential clone_model load_model model_from_json save_model
    """,
    "datasets": """
        boston_housing california_housing cifar10 cifar100 fashion_mnist imdb mnist reuters
    """,
    "datasets.imdb": """
        get_word_index load_data
    """,
    "datasets.reuters": """
        get_label_names get_word_index load_data
    """,
}

_ISSUE_11 = "issue 11: preprocessing layers, dataset utilities and keras.datasets (future work)"
_ISSUE_10_12 = "issue 10/12: legacy formats and Keras 2 names (lamina.legacy)"
_QUANTIZATION = "quantization (int8/int4/float8, GPTQ, AWQ) is not part of lamina"
_PREPROCESSING_LAYERS = """
    AugMix AutoContrast ContrastLimitedAdaptiveHistogramEqualization CutMix Equalization HashedCrossing
    MaxNumBoundingBoxes MelSpectrogram MixUp Pipeline RandAugment RandomColorDegeneration RandomColorJitter
    RandomElasticTransform RandomErasing RandomGaussianBlur RandomGrayscale RandomHue RandomInvert
    RandomPerspective RandomPosterization RandomSaturation RandomSharpness RandomShear STFTSpectrogram
    Solarization
"""
_DATA_UTILITIES = """
    FeatureSpace audio_dataset_from_directory bounding_boxes
"""

# namespace -> {Keras name: why lamina leaves it out}.
EXCLUDED = {
    "top": {
        "Function": "lamina's ops are plain functions with shape rules; a traced graph is a functional Model",
        "Operation": "lamina's ops are plain functions with shape rules, not Operation objects",
        "Quantizer": _QUANTIZATION,
        "quantizers": _QUANTIZATION,
        "RematScope": "gradient rematerialization (activation checkpointing) is not in lamina",
        "remat": "gradient rematerialization (activation checkpointing) is not in lamina",
        "SymbolicScope": "lamina traces symbolic tensors without a user-facing scope",
        "device": "lamina places tensors on one device chosen at start (LAMINA_DEVICE); no scoped placement",
        "applications": "pretrained model zoo with downloaded weights: not in lamina",
        "preprocessing": _ISSUE_11,
        "visualization": _ISSUE_11 + " (bounding-box and image plotting for augmentation)",
        "mixed_precision": _ISSUE_10_12 + " (Keras 2's mixed_precision names; use dtype policies)",
        "distillation": "knowledge-distillation trainer: not in lamina",
        "distribution": "Keras' sharding API (DeviceMesh, TensorLayout) for the JAX backend: not in lamina",
        "export": "SavedModel/ONNX export goes through TensorFlow: not in lamina",
        "wrappers": "scikit-learn estimator wrappers: not in lamina",
    },
    "layers": {
        **{name: _ISSUE_11 for name in _PREPROCESSING_LAYERS.split()},
        "FlaxLayer": "wraps Flax modules as layers: engine-specific wrappers are not in lamina",
        "JaxLayer": "wraps JAX functions as layers: engine-specific wrappers are not in lamina",
        "TorchModuleWrapper": "wraps torch modules as layers: engine-specific wrappers are not in lamina",
        "TFSMLayer": "loads TensorFlow SavedModels: lamina has no TensorFlow engine",
        "GroupQueryAttention": "not implemented yet (ops.nn.dot_product_attention already does grouped queries)",
        "ReversibleEmbedding": "not implemented yet (an Embedding whose transposed table also projects back)",
    },
    "optimizers": {
        "legacy": _ISSUE_10_12,
        "LossScaleOptimizer": "dynamic loss scaling: not implemented (the static `loss_scale_factor` is)",
        "MultiOptimizer": "one optimizer per variable group: not implemented",
        "OptimizerMap": "one optimizer per variable group: not implemented",
        "Muon": "not implemented yet (orthogonalized-momentum optimizer, Keras 3.10+)",
        "ScheduleFreeAdamW": "not implemented yet (schedule-free AdamW)",
    },
    "callbacks": {
        "BackupAndRestore": "not implemented: resuming needs the trainer to restore its epoch/step counters",
        "OrbaxCheckpoint": "Orbax checkpoints (a JAX/TF library): lamina writes .keras and .weights.h5",
        "RemoteMonitor": "posts logs to an HTTP server: lamina makes no network calls from training",
        "SwapEMAWeights": "not implemented yet (swap optimizer EMA weights in for evaluation)",
        "TensorBoard": "needs a TensorBoard event writer, which lamina does not depend on",
    },
    "utils": {
        **{name: _ISSUE_11 for name in _DATA_UTILITIES.split()},
        "legacy": _ISSUE_10_12,
        "Config": "Keras' attribute-access config dict for examples: not implemented",
        "get_source_inputs": "not implemented yet (walks a symbolic tensor's history to its Inputs)",
        "model_to_dot": "needs pydot and graphviz; lamina has Model.summary() only",
        "plot_model": "needs pydot and graphviz; lamina has Model.summary() only",
    },
    "config": {
        "set_backend": "lamina picks its engine once per process (LAMINA_BACKEND): switching needs a new process",
    },
    "saving": {
        "KerasFileEditor": "interactive inspector/editor of .keras files: not implemented",
    },
    "dtype_policies": {
        "DTypePolicyMap": "per-layer policy map used by quantized models: " + _QUANTIZATION,
        "QuantizedDTypePolicy": _QUANTIZATION,
        "QuantizedFloat8DTypePolicy": _QUANTIZATION,
        "Int4DTypePolicy": _QUANTIZATION,
        "GPTQDTypePolicy": _QUANTIZATION,
        "AWQDTypePolicy": _QUANTIZATION,
    },
    "models": {
        "clone_model": "not implemented yet (rebuilds a model's graph with new layers and weights)",
    },
}


def _namespace(name: str):
    return lamina if name == "top" else importlib.import_module(f"lamina.{name}")


@pytest.mark.parametrize("namespace", sorted(KERAS_NAMES))
def test_namespace_has_keras_names(engine, namespace):
    module = _namespace(namespace)
    keras_names = KERAS_NAMES[namespace].split()
    excluded = EXCLUDED.get(namespace, {})
    assert set(excluded) <= set(keras_names), f"exclusions that Keras does not have: {set(excluded) - set(keras_names)}"
    missing = [name for name in keras_names if not hasattr(module, name) and name not in excluded]
    assert not missing, f"lamina.{namespace} lacks Keras names: {missing}"
    gained = [name for name in excluded if hasattr(module, name)]
    assert not gained, f"lamina.{namespace} now has {gained}: take them off the exclusion list"


def test_keras_aliases_are_the_same_objects(engine):
    assert lamina.initializers.STFTInitializer is lamina.initializers.STFT is lamina.initializers.stft
    assert lamina.initializers.glorot_uniform is lamina.initializers.GlorotUniform
    assert lamina.FloatDTypePolicy is lamina.DTypePolicy
    assert lamina.utils.Sequence is lamina.utils.PyDataset
    assert lamina.saving.serialize_keras_object is lamina.saving.serialize
    assert lamina.config.dtype_policy is lamina.dtype_policies.dtype_policy
    assert lamina.metrics.huber is lamina.losses.huber


def test_to_categorical_and_normalize(engine):
    import numpy as np

    one_hot = lamina.utils.to_categorical(np.array([[1], [0], [3]]))
    np.testing.assert_array_equal(one_hot, np.eye(4)[[1, 0, 3]])
    assert one_hot.dtype == np.float64
    np.testing.assert_array_equal(lamina.utils.to_categorical([[0, 2], [1, 1]], num_classes=3),
                                  np.eye(3)[[[0, 2], [1, 1]]])
    tensor = lamina.utils.to_categorical(lamina.ops.convert_to_tensor([2, 0]), num_classes=3)
    assert lamina.backend.is_tensor(tensor)
    np.testing.assert_array_equal(lamina.backend.convert_to_numpy(tensor), np.eye(3)[[2, 0]])
    x = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    expected = np.array([[0.6, 0.8], [0.0, 0.0], [2**-0.5, -(2**-0.5)]])
    np.testing.assert_allclose(lamina.utils.normalize(x), expected)
    np.testing.assert_allclose(lamina.utils.normalize(x, axis=0, order=1), x / np.array([4.0, 5.0]))
    as_tensor = lamina.utils.normalize(lamina.ops.convert_to_tensor(x.astype("float32")))
    np.testing.assert_allclose(lamina.backend.convert_to_numpy(as_tensor), expected, atol=1e-6)


def test_batch_packing(engine):
    pack, unpack = lamina.utils.pack_x_y_sample_weight, lamina.utils.unpack_x_y_sample_weight
    assert pack(1) == 1 and pack([1, 2]) == ([1, 2],) and pack(1, 2) == (1, 2) and pack(1, 2, 3) == (1, 2, 3)
    assert unpack(pack([1, 2])) == ([1, 2], None, None) and unpack([1, 2]) == (1, 2, None)
    with pytest.raises(ValueError, match="4 elements"):
        unpack((1, 2, 3, 4))


def test_keras_object_serialization_and_custom_objects(engine):
    policy = lamina.dtype_policies.DTypePolicy("mixed_bfloat16")
    config = lamina.dtype_policies.serialize(policy)
    assert config["class_name"] == "DTypePolicy" and config["config"] == {"name": "mixed_bfloat16"}
    assert lamina.dtype_policies.deserialize(config) == policy
    assert lamina.dtype_policies.get(config).compute_dtype == "bfloat16"
    legacy = lamina.dtype_policies.deserialize({"class_name": "FloatDTypePolicy", "config": {"name": "float16"}})
    assert legacy.variable_dtype == "float16"

    class Doubler(lamina.layers.Layer):
        def call(self, x):
            return x * 2

    lamina.saving.get_custom_objects()["Doubler"] = Doubler
    try:
        layer = lamina.saving.deserialize_keras_object(lamina.saving.serialize_keras_object(Doubler(name="d")))
        assert type(layer) is Doubler and layer.name == "d"
        assert lamina.utils.get_registered_object("Doubler") is Doubler
    finally:
        del lamina.saving.get_custom_objects()["Doubler"]
    assert lamina.utils.is_keras_tensor(lamina.Input((2,))) and not lamina.utils.is_keras_tensor(1.0)
