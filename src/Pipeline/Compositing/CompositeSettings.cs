namespace StreamMatte.Pipeline.Compositing;

/// <summary>
/// How the new picture is made from the frame and its matte.
/// <see cref="Decontaminate"/>: remove the old background's colour from soft edges (hair, motion blur) so
/// no green or wall colour fringes the person. <see cref="LightWrap"/> 0..1: let the new background's light
/// spill onto the person's edges so they sit in it (0 = off).
/// </summary>
public sealed record CompositeSettings(Background Background, bool Decontaminate = true, float LightWrap = 0);
