// One part of the drawn host (an ellipse, a capsule or a convex polygon), antialiased by its own distance to the
// edge instead of by multisampling. See shapes.rs for the why and the uniform's fields.

#import bevy_sprite::{
    mesh2d_functions as mesh_functions,
    mesh2d_view_bindings::view,
}

#ifdef TONEMAP_IN_SHADER
#import bevy_core_pipeline::tonemapping
#endif
#ifdef SRGB_OUTPUT
#import bevy_render::color_operations::linear_to_srgb
#endif
#ifdef OKLAB_OUTPUT
#import bevy_render::color_operations::linear_rgb_to_oklab
#endif

struct HostShape {
    // Linear RGBA.
    color: vec4<f32>,
    // 0: ellipse with radii `size`; 1: vertical capsule, radius size.x, straight half length size.y;
    // 2: convex polygon, inside where dot(plane.xy, p) <= plane.z for each of `planes`.
    kind: u32,
    // The edge's ramp is at least this wide, in the distance's own units (0: one pixel, a crisp edge).
    soft: f32,
    size: vec2<f32>,
    // Half the width and height of the shape's box, in the part's own units.
    half_extent: vec2<f32>,
    planes: array<vec4<f32>, 4>,
}

@group(#{MATERIAL_BIND_GROUP}) @binding(0) var<uniform> shape: HostShape;

struct Vertex {
    @builtin(instance_index) instance_index: u32,
    // A corner of the unit square: x and y are -1 or 1.
    @location(0) position: vec3<f32>,
}

struct VertexOutput {
    @builtin(position) position: vec4<f32>,
    // Where the fragment lies in the part's own units.
    @location(0) local: vec2<f32>,
}

// How far the quad reaches past the shape's box on screen, so the soft edge is never cut off: the edge's ramp is
// one pixel wide, centred on the outline.
const MARGIN_PX: f32 = 1.5;

@vertex
fn vertex(v: Vertex) -> VertexOutput {
    let world_from_local = mesh_functions::get_world_from_local(v.instance_index);
    let clip_from_local = view.clip_from_world * world_from_local;
    // Pixels per unit along each of the part's axes, whatever its scale, rotation or parents' transforms.
    let half_viewport = view.viewport.zw * 0.5;
    let px_x = length((clip_from_local * vec4(1.0, 0.0, 0.0, 0.0)).xy * half_viewport);
    let px_y = length((clip_from_local * vec4(0.0, 1.0, 0.0, 0.0)).xy * half_viewport);
    let margin = vec2(MARGIN_PX / max(px_x, 1e-6), MARGIN_PX / max(px_y, 1e-6));
    let local = v.position.xy * (shape.half_extent + margin);

    var out: VertexOutput;
    let world_position = mesh_functions::mesh2d_position_local_to_world(
        world_from_local,
        vec4(local, v.position.z, 1.0),
    );
    out.position = mesh_functions::mesh2d_position_world_to_clip(world_position);
    out.local = local;
    return out;
}

@fragment
fn fragment(in: VertexOutput) -> @location(0) vec4<f32> {
    let p = in.local;
    // A value that is negative inside, zero on the outline and grows outward. All three are worked out and the
    // shape's own picked by `select`, not by branching on `shape.kind`: Mesa's software renderer recompiles a
    // shader whose control flow depends on a uniform each time that uniform's value changes between draws.
    let ellipse = length(p / shape.size) - 1.0;
    let along = p.y - clamp(p.y, -shape.size.y, shape.size.y);
    let capsule = length(vec2(p.x, along)) - shape.size.x;
    let edges = vec4(
        dot(shape.planes[0].xy, p) - shape.planes[0].z,
        dot(shape.planes[1].xy, p) - shape.planes[1].z,
        dot(shape.planes[2].xy, p) - shape.planes[2].z,
        dot(shape.planes[3].xy, p) - shape.planes[3].z,
    );
    let polygon = max(max(edges.x, edges.y), max(edges.z, edges.w));
    let d = select(select(polygon, capsule, shape.kind == 1u), ellipse, shape.kind == 0u);
    // How much `d` changes from one pixel to the next turns it into a distance in pixels; the pixel is covered in
    // proportion to how far inside the outline its centre lies (half covered on the outline).
    let per_pixel = length(vec2(dpdx(d), dpdy(d)));
    // proportion to how far inside the outline its centre lies (half covered on the outline). A soft shape's ramp
    // is wider than a pixel, so it fades out (a shadow, a blush).
    let coverage = clamp(0.5 - d / max(max(per_pixel, shape.soft), 1e-9), 0.0, 1.0);
    var color = vec4(shape.color.rgb, shape.color.a * coverage);

#ifdef TONEMAP_IN_SHADER
    color = tonemapping::tone_mapping(color, view.color_grading);
#endif
#ifdef SRGB_OUTPUT
    color = vec4(linear_to_srgb(color.rgb), color.a);
#endif
#ifdef OKLAB_OUTPUT
    color = vec4(linear_rgb_to_oklab(color.rgb), color.a);
#endif
    return color;
}
