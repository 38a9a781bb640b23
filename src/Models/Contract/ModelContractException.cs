namespace StreamMatte.Models.Contract;

/// <summary>A model does not fit the adapter chosen for it (wrong inputs, outputs, or shapes).</summary>
public sealed class ModelContractException(string message) : Exception(message);
