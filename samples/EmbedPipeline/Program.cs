// Using a model from the library, on one screen: open, feed frames, read mattes.
//   dotnet run --project samples/EmbedPipeline -- ../shared/models/rvm_mobilenetv3_fp32.onnx in.mp4
using StreamMatte.Imaging;
using StreamMatte.Models;
using StreamMatte.Models.Contract;
using StreamMatte.Pipeline.Video;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: EmbedPipeline MODEL.onnx VIDEO");
    return 2;
}

using var model = ModelCatalog.Open(args[0]);          // adapter chosen from the model's signature
using var video = new VideoReader(args[1]);             // ffmpeg → rgb24 frames
var frame = new RgbImage(video.Width, video.Height);     // one buffer, reused for every frame
Console.WriteLine($"{model.Name} ({model.Family}) on {model.Provider}");

while (video.ReadFrame(frame))
{
    MatteOutput matte = model.Process(frame);            // recurrent state carried automatically
    double coverage = matte.Alpha.Data.Average();
    Console.WriteLine($"frame {video.FramesRead}: person covers {coverage:P0} of the frame");
}
return 0;
