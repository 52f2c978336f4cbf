using System.Text.Json.Nodes;
using KojiComposer.Cli.Commands.Compose;

namespace KojiComposer.Cli.Tests.Compose;

/// <summary>How <c>compose show</c> prints what went wrong, from a ComposeStatus the service gave for a compose
/// whose aarch64 image failed in a stage (the import then skipped as a dependency failed).</summary>
public sealed class ComposeErrorTextTests
{
    private const string Failed = """
        {
          "href": "/api/image-builder-composer/v2/composes/01a23593-ce37-7407-b903-a9b4fb1c0bc6",
          "id": "01a23593-ce37-7407-b903-a9b4fb1c0bc6",
          "kind": "ComposeStatus",
          "status": "failure",
          "image_status": {
            "status": "success"
          },
          "image_statuses": [
            {
              "status": "success"
            },
            {
              "status": "failure",
              "error": {
                "id": 10,
                "reason": "osbuild build failed",
                "details": {
                  "stage": "org.osbuild.rpm",
                  "id": "fef6c21ba49c38ab8e71741281e14bf1d4550b5c6c6760c55451d3eb6cb91131",
                  "pipeline": "os",
                  "output": "Error: Transaction test error:\n  file /usr/lib/os-release from install of fedora-release-42-1 conflicts with file from package generic-release-42-1\n"
                }
              }
            }
          ],
          "koji_status": {
            "build_id": 1
          },
          "kojicomposer": {
            "state": "failure",
            "nvr": "Fedora-Cloud-42-1",
            "name": "Fedora-Cloud",
            "version": "42",
            "release": "1",
            "distribution": "fedora-42",
            "koji_task_id": 1,
            "koji_server": "https://koji.example.com/kojihub",
            "koji_build_id": 1,
            "submitted_by": "releng",
            "cancel_requested": false,
            "generation": 0,
            "init": {
              "state": "success",
              "error": null
            },
            "finalize": {
              "state": "failure",
              "error": {
                "id": 13,
                "reason": "Koji import skipped: a dependency failed",
                "details": [
                  {
                    "id": 10,
                    "reason": "osbuild build failed",
                    "details": {
                      "stage": "org.osbuild.rpm",
                      "id": "fef6c21ba49c38ab8e71741281e14bf1d4550b5c6c6760c55451d3eb6cb91131",
                      "pipeline": "os",
                      "output": "Error: Transaction test error:\n  file /usr/lib/os-release from install of fedora-release-42-1 conflicts with file from package generic-release-42-1\n"
                    }
                  }
                ]
              }
            },
            "created_at": "2026-12-02T07:06:48.759Z",
            "updated_at": "2026-12-02T07:06:49.716Z",
            "finished_at": "2026-12-02T07:06:49.716Z",
            "images": [
              {
                "index": 0,
                "arch": "x86_64",
                "image_type": "guest-image",
                "state": "success",
                "attempts": 1,
                "lost_workers": 0,
                "worker": "kc-e2e:30080:17466cc7",
                "started_at": "2026-12-02T07:06:48.907Z",
                "finished_at": "2026-12-02T07:06:49.687Z",
                "error": null,
                "uploads": [
                  {
                    "type": "koji",
                    "success": true,
                    "options": {
                      "directory": "osbuild-cg/osbuild-composer-koji-01a23593-ce37-7407-b903-a9b4fb1c0bc6",
                      "image": {
                        "filename": "Fedora-Cloud-42-1.x86_64.qcow2",
                        "checksum_type": "md5",
                        "checksum": "f38f0f0dba5010d7109962501cd5303a",
                        "size": 4096
                      }
                    }
                  }
                ]
              },
              {
                "index": 1,
                "arch": "aarch64",
                "image_type": "guest-image",
                "state": "failure",
                "attempts": 1,
                "lost_workers": 0,
                "worker": "kc-e2e:30080:d362f298",
                "started_at": "2026-12-02T07:06:48.909Z",
                "finished_at": "2026-12-02T07:06:49.466Z",
                "error": {
                  "id": 10,
                  "reason": "osbuild build failed",
                  "details": {
                    "stage": "org.osbuild.rpm",
                    "id": "fef6c21ba49c38ab8e71741281e14bf1d4550b5c6c6760c55451d3eb6cb91131",
                    "pipeline": "os",
                    "output": "Error: Transaction test error:\n  file /usr/lib/os-release from install of fedora-release-42-1 conflicts with file from package generic-release-42-1\n"
                  }
                },
                "uploads": []
              }
            ]
          }
        }
        """;

    [Fact]
    public void Show_PrintsEachErrorsIdReasonStageAndOutput_UnderItsStepAndImage()
    {
        var compose = new ComposeView(JsonNode.Parse(Failed)!.AsObject());

        var lines = ComposeShowCommand.Render(compose, new Uri("https://koji.example.com/koji")).ToList();

        Assert.Equal(
            [
                "Compose 01a23593-ce37-7407-b903-a9b4fb1c0bc6: Fedora-Cloud-42-1",
                "  State:        failure",
                "  Distribution: fedora-42",
                "  Koji task:    1  https://koji.example.com/koji/taskinfo?taskID=1",
                "  Koji build:   1  https://koji.example.com/koji/buildinfo?buildID=1",
                "  Submitted by: releng",
                "  Created:      2026-12-02 07:06:48 UTC",
                "  Finished:     2026-12-02 07:06:49 UTC",
                "  Reservation:  success",
                "  Import:       failure",
                "    error 13: Koji import skipped: a dependency failed",
                "      error 10: osbuild build failed: stage org.osbuild.rpm in pipeline os",
                "        Error: Transaction test error:",
                "          file /usr/lib/os-release from install of fedora-release-42-1 conflicts with file from package generic-release-42-1",
                "  Images (1 of 2 built):",
                "    0  x86_64   guest-image  success  attempt 1  on kc-e2e:30080:17466cc7",
                "      upload koji: success, Fedora-Cloud-42-1.x86_64.qcow2 (4096 bytes)",
                "    1  aarch64  guest-image  failure  attempt 1  on kc-e2e:30080:d362f298",
                "      error 10: osbuild build failed: stage org.osbuild.rpm in pipeline os",
                "        Error: Transaction test error:",
                "          file /usr/lib/os-release from install of fedora-release-42-1 conflicts with file from package generic-release-42-1",
            ],
            lines);
    }

    [Fact]
    public void ErrorText_ShowsTheEndOfALongStageOutput_AndSaysWhereTheRestIs()
    {
        var output = string.Join("\n", Enumerable.Range(1, 15).Select(i => $"line {i}")) + "\n";
        var error = new JsonObject { ["id"] = 10, ["reason"] = "osbuild build failed", ["details"] = new JsonObject { ["stage"] = "org.osbuild.rpm", ["output"] = output } };

        var lines = ErrorText.Lines(error, "  ", maxOutputLines: 10).ToList();

        Assert.Equal(
            [
                "  error 10: osbuild build failed: stage org.osbuild.rpm",
                "    … 5 earlier line(s); kojicomposer compose logs shows them all",
                .. Enumerable.Range(6, 10).Select(i => $"    line {i}"),
            ],
            lines);
    }

    [Fact]
    public void ErrorText_PutsOneLineDetailsOnTheErrorsLine_AndOtherDetailsAsKeyValue()
    {
        var text = new JsonObject { ["id"] = 26, ["reason"] = "Koji build reservation failed", ["details"] = "CGInitBuild: GenericError: Build already exists" };
        var other = new JsonObject { ["id"] = 36, ["reason"] = "Upload failed", ["details"] = new JsonObject { ["target"] = "aws", ["attempts"] = 3 } };

        Assert.Equal(["error 26: Koji build reservation failed: CGInitBuild: GenericError: Build already exists"], ErrorText.Lines(text, ""));
        Assert.Equal(["error 36: Upload failed", "  target: aws", "  attempts: 3"], ErrorText.Lines(other, ""));
    }

    [Fact]
    public void Show_SaysNone_ForAComposeWithoutImages_InsteadOfCrashing()
    {
        var compose = new ComposeView(JsonNode.Parse("""
            {"id": "0192f5e4-8a1c-7b3d-9e2f-4a5b6c7d8e9f", "kind": "ComposeStatus", "status": "pending",
             "kojicomposer": {"nvr": "a-1-1", "state": "pending", "images": [], "created_at": "2026-12-01T00:00:00Z"}}
            """)!.AsObject());

        var lines = ComposeShowCommand.Render(compose, kojiWeb: null).ToList();

        Assert.Equal("  Images:       none", lines[^1]);
    }
}
