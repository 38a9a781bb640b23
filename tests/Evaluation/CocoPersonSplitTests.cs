using StreamMatte.Pipeline.Evaluation;

namespace StreamMatte.Tests.Evaluation;

/// <summary>
/// The people test set is the half of coco_person our instance network never trains on. The rule is shared with
/// training/instance_data.py (coco_person_split: odd places in name order train), so it is pinned down here.
/// </summary>
public class CocoPersonSplitTests
{
    [Fact]
    public void The_test_half_is_the_even_places_in_name_order_and_all_is_every_photo_with_a_mask()
    {
        string data = Path.Combine(Path.GetTempPath(), "stream-matte-tests", Guid.NewGuid().ToString("N"));
        string images = Path.Combine(data, "seg", "coco_person", "images"), masks = Path.Combine(data, "seg", "coco_person", "masks_instance");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(masks);
        // Written out of order; "d" has no mask, so it is not a photo of the set at all.
        foreach (var name in new[] { "e", "b", "a", "d", "c", "f" })
        {
            File.WriteAllBytes(Path.Combine(images, name + ".jpg"), [0]);
            if (name != "d") File.WriteAllBytes(Path.Combine(masks, name + ".png"), [0]);
        }

        string Names(CocoPersonPhotos set) => string.Concat(PeopleEvaluator.Photos(data, set).Select(p => Path.GetFileNameWithoutExtension(p.Image)));
        Assert.Equal("abcef", Names(CocoPersonPhotos.All));
        Assert.Equal("acf", Names(CocoPersonPhotos.Test));
    }

    [Fact]
    public void A_data_folder_without_coco_person_is_a_clear_error()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => PeopleEvaluator.Photos(Path.GetTempPath(), CocoPersonPhotos.Test));
        Assert.Contains("give --data", e.Message);
    }
}
