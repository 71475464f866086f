//! The drawn host's parts as shapes that antialias their own edges.
//!
//! Why not meshes and multisampling: on a software renderer a 4x multisampled pass costs in proportion to its
//! whole target (clearing, drawing into and resolving four samples per pixel) once anything is drawn into it, and
//! the host was the only thing in the frame that needed it. Each part is instead a quad just larger than the shape
//! whose fragment shader works out how far the pixel's centre lies from the outline (ellipse, capsule or convex
//! polygon, in the part's own units, turned into pixels by the screen-space derivative) and covers the pixel in
//! proportion. Edges come out as smooth as with 4x multisampling (finer: coverage is not rounded to quarters), with
//! one sample per pixel, in the frame's own pass, at any scale, rotation or squash the animation gives a part (a
//! blinking eye, a speaking mouth). The vertex shader widens each quad by a pixel and a half on screen so a soft
//! edge is never cut off. One limit: a part thinner than about a pixel (an eye for the frame or two a blink is
//! nearly shut) is drawn at about half coverage along its middle, a little bolder than multisampling would.

use bevy::asset::{AssetPath, embedded_asset, embedded_path};
use bevy::camera::visibility::NoFrustumCulling;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::render_resource::{AsBindGroup, ShaderType};
use bevy::shader::ShaderRef;
use bevy::sprite_render::{AlphaMode2d, Material2d, Material2dPlugin};

pub(crate) fn plugin(app: &mut App) {
    embedded_asset!(app, "host_shape.wgsl");
    app.add_plugins(Material2dPlugin::<HostShape>::default());
    let quad = app.world_mut().resource_mut::<Assets<Mesh>>().add(unit_square());
    app.insert_resource(ShapeQuad(quad));
}

/// The one mesh every shape is drawn on: the square from -1 to 1, stretched by the vertex shader to the shape's
/// box plus the margin.
#[derive(Resource, Clone)]
pub struct ShapeQuad(pub Handle<Mesh>);

fn unit_square() -> Mesh {
    let corners: Vec<[f32; 3]> = vec![[-1.0, -1.0, 0.0], [1.0, -1.0, 0.0], [1.0, 1.0, 0.0], [-1.0, 1.0, 0.0]];
    Mesh::new(PrimitiveTopology::TriangleList, Default::default())
        .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, corners)
        .with_inserted_indices(Indices::U16(vec![0, 1, 2, 0, 2, 3]))
}

/// A shape in a part's own units, centred on the part's origin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// Half width and half height.
    Ellipse(Vec2),
    /// An upright capsule: the radius of its round ends and the length of its straight middle (as Bevy's
    /// `Capsule2d::new`).
    Capsule { radius: f32, length: f32 },
    /// Width and height.
    Rectangle(Vec2),
    /// Three corners, in either winding.
    Triangle([Vec2; 3]),
    /// Four corners of a convex quadrilateral, in order around it (either way round).
    Quad([Vec2; 4]),
}

impl Shape {
    pub fn circle(radius: f32) -> Shape {
        Shape::Ellipse(Vec2::splat(radius))
    }

    /// The uniform the shader reads, in `color`.
    pub fn uniform(self, color: Color) -> ShapeUniform {
        let color = color.to_linear().to_vec4();
        // A plane that never bounds anything, for polygons with fewer than four sides.
        let unused = Vec4::new(0.0, 0.0, 1.0, 0.0);
        match self {
            Shape::Ellipse(radii) => {
                ShapeUniform { color, kind: 0, soft: 0.0, size: radii, half_extent: radii, planes: [unused; 4] }
            }
            Shape::Capsule { radius, length } => ShapeUniform {
                color,
                kind: 1,
                soft: 0.0,
                size: Vec2::new(radius, length / 2.0),
                half_extent: Vec2::new(radius, length / 2.0 + radius),
                planes: [unused; 4],
            },
            Shape::Rectangle(size) => {
                let h = size / 2.0;
                ShapeUniform {
                    color,
                    kind: 2,
                    soft: 0.0,
                    size: h,
                    half_extent: h,
                    planes: [
                        Vec4::new(1.0, 0.0, h.x, 0.0),
                        Vec4::new(-1.0, 0.0, h.x, 0.0),
                        Vec4::new(0.0, 1.0, h.y, 0.0),
                        Vec4::new(0.0, -1.0, h.y, 0.0),
                    ],
                }
            }
            Shape::Triangle(corners) => polygon(&corners, color),
            Shape::Quad(corners) => polygon(&corners, color),
        }
    }
}

/// The uniform of a convex polygon of three or four corners: one plane per edge, each facing away from the
/// polygon's centre, so the winding does not matter.
fn polygon(corners: &[Vec2], color: Vec4) -> ShapeUniform {
    let n = corners.len().min(4);
    let centre = corners[..n].iter().copied().sum::<Vec2>() / n as f32;
    let mut planes = [Vec4::new(0.0, 0.0, 1.0, 0.0); 4];
    for (i, plane) in planes.iter_mut().take(n).enumerate() {
        let (a, b) = (corners[i], corners[(i + 1) % n]);
        let edge = b - a;
        // The edge's normal, turned to point away from the polygon's centre.
        let mut normal = Vec2::new(edge.y, -edge.x).normalize_or_zero();
        if normal.dot(centre - a) > 0.0 {
            normal = -normal;
        }
        *plane = normal.extend(normal.dot(a)).extend(0.0);
    }
    let lo = corners[..n].iter().copied().fold(Vec2::splat(f32::MAX), Vec2::min);
    let hi = corners[..n].iter().copied().fold(Vec2::splat(f32::MIN), Vec2::max);
    // The quad is centred on the part's origin, so it reaches as far as the farthest corner each way.
    let half_extent = lo.abs().max(hi.abs());
    ShapeUniform { color, kind: 2, soft: 0.0, size: half_extent, half_extent, planes }
}

/// What the shader reads: see `host_shape.wgsl` for the meaning of each field.
#[derive(Clone, Copy, Debug, Default, PartialEq, ShaderType)]
pub struct ShapeUniform {
    pub color: Vec4,
    pub kind: u32,
    /// How wide the edge's ramp is at least, in the shape's distance units (a share of the radius for an ellipse,
    /// the part's units for the rest): 0 for a crisp edge, more for a shadow or a blush that fades out.
    pub soft: f32,
    pub size: Vec2,
    pub half_extent: Vec2,
    pub planes: [Vec4; 4],
}

/// The material of one host part: its shape and colour. Drawn blended (the soft edge is partial coverage), so the
/// parts are painted back to front by their z like any transparent 2D mesh.
#[derive(Asset, TypePath, AsBindGroup, Clone, Debug)]
pub struct HostShape {
    #[uniform(0)]
    pub shape: ShapeUniform,
}

impl HostShape {
    pub fn new(shape: Shape, color: Color) -> HostShape {
        HostShape { shape: shape.uniform(color) }
    }

    /// The shape with an edge that fades over `soft` (see [`ShapeUniform::soft`]).
    pub fn soft(shape: Shape, color: Color, soft: f32) -> HostShape {
        HostShape { shape: ShapeUniform { soft, ..shape.uniform(color) } }
    }
}

fn shader() -> ShaderRef {
    ShaderRef::Path(AssetPath::from_path_buf(embedded_path!("host_shape.wgsl")).with_source("embedded"))
}

impl Material2d for HostShape {
    fn vertex_shader() -> ShaderRef {
        shader()
    }

    fn fragment_shader() -> ShaderRef {
        shader()
    }

    fn alpha_mode(&self) -> AlphaMode2d {
        AlphaMode2d::Blend
    }
}

/// The components that draw `shape` in `color` on an entity (its transform places, turns and scales it). Frustum
/// culling is off: the quad the shader draws is larger than the unit square the mesh's bounds describe.
pub fn shape_bundle(
    quad: &ShapeQuad,
    materials: &mut Assets<HostShape>,
    shape: Shape,
    color: Color,
) -> impl Bundle + use<> {
    soft_shape_bundle(quad, materials, shape, color, 0.0)
}

/// [`shape_bundle`] with an edge that fades over `soft` (see [`ShapeUniform::soft`]).
pub fn soft_shape_bundle(
    quad: &ShapeQuad,
    materials: &mut Assets<HostShape>,
    shape: Shape,
    color: Color,
    soft: f32,
) -> impl Bundle + use<> {
    (Mesh2d(quad.0.clone()), MeshMaterial2d(materials.add(HostShape::soft(shape, color, soft))), NoFrustumCulling)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The polygon's planes, evaluated as the shader does: the largest signed distance.
    fn polygon_distance(u: &ShapeUniform, p: Vec2) -> f32 {
        u.planes.iter().map(|pl| pl.truncate().truncate().dot(p) - pl.z).fold(f32::MIN, f32::max)
    }

    #[test]
    fn a_triangle_is_inside_its_planes_whatever_its_winding() {
        let corners = [Vec2::new(-0.07, 0.0), Vec2::new(0.07, 0.0), Vec2::new(0.0, -0.08)];
        for corners in [corners, [corners[0], corners[2], corners[1]]] {
            let u = Shape::Triangle(corners).uniform(Color::WHITE);
            assert_eq!(u.kind, 2);
            assert!(polygon_distance(&u, Vec2::new(0.0, -0.03)) < 0.0, "the centre is inside");
            for c in corners {
                assert!(polygon_distance(&u, c).abs() < 1e-6, "each corner lies on the outline");
            }
            assert!((polygon_distance(&u, Vec2::new(0.0, 0.01)) - 0.01).abs() < 1e-6, "above the top edge");
            assert!(polygon_distance(&u, Vec2::new(0.0, -0.1)) > 0.0, "below the lower corner");
            // The quad holds every corner.
            for c in corners {
                assert!(c.x.abs() <= u.half_extent.x && c.y.abs() <= u.half_extent.y);
            }
        }
    }

    #[test]
    fn a_quad_is_inside_its_four_planes_whatever_its_winding() {
        // A torso: wide shoulders over a narrower waist.
        let corners = [Vec2::new(-0.2, 0.26), Vec2::new(0.2, 0.26), Vec2::new(0.16, -0.34), Vec2::new(-0.16, -0.34)];
        let reversed = [corners[3], corners[2], corners[1], corners[0]];
        for corners in [corners, reversed] {
            let u = Shape::Quad(corners).uniform(Color::WHITE);
            assert_eq!(u.kind, 2);
            assert!(polygon_distance(&u, Vec2::ZERO) < 0.0, "the centre is inside");
            for c in corners {
                assert!(polygon_distance(&u, c).abs() < 1e-6, "each corner lies on the outline");
                assert!(c.x.abs() <= u.half_extent.x && c.y.abs() <= u.half_extent.y, "the quad holds {c}");
            }
            assert!((polygon_distance(&u, Vec2::new(0.0, 0.3)) - 0.04).abs() < 1e-6, "above the shoulders");
            assert!(polygon_distance(&u, Vec2::new(0.19, -0.3)) > 0.0, "beside the waist is outside");
            assert!(polygon_distance(&u, Vec2::new(0.19, 0.2)) < 0.0, "under the shoulder is inside");
        }
        let soft = HostShape::soft(Shape::Quad(corners), Color::WHITE, 0.02).shape;
        assert_eq!((soft.soft, soft.kind), (0.02, 2));
        assert_eq!(HostShape::new(Shape::Quad(corners), Color::WHITE).shape.soft, 0.0, "crisp unless asked");
    }

    #[test]
    fn rectangles_and_capsules_have_the_box_bevy_gives_the_same_primitive() {
        let r = Shape::Rectangle(Vec2::new(0.1, 0.08)).uniform(Color::WHITE);
        assert_eq!(r.half_extent, Vec2::new(0.05, 0.04));
        assert!((polygon_distance(&r, Vec2::new(0.05, 0.0))).abs() < 1e-6);
        assert!((polygon_distance(&r, Vec2::new(0.0, -0.05)) - 0.01).abs() < 1e-6);
        // Capsule2d::new(0.2, 0.3): radius 0.2, half length 0.15, so 0.35 from the centre to each end.
        let c = Shape::Capsule { radius: 0.2, length: 0.3 }.uniform(Color::WHITE);
        assert!(
            c.size.abs_diff_eq(Vec2::new(0.2, 0.15), 1e-6) && c.half_extent.abs_diff_eq(Vec2::new(0.2, 0.35), 1e-6)
        );
        let e = Shape::circle(0.04).uniform(Color::srgb_u8(255, 0, 0));
        assert_eq!((e.kind, e.size), (0, Vec2::splat(0.04)));
        assert!((e.color - Vec4::new(1.0, 0.0, 0.0, 1.0)).abs().max_element() < 1e-6, "colours go in linear");
    }
}

/// The shapes on the software renderer, one sample per pixel, against Bevy's own meshes of the same primitives
/// drawn with 4x multisampling (how the host was drawn before): the same pixels inside and out, edges as smooth.
#[cfg(test)]
mod pixel_tests {
    use super::*;
    use crate::FrameSize;
    use crate::capture::{
        add_frame_target, add_headless_plugins, finish_and_warm_up, offscreen_camera, read_back_next, vulkan_available,
    };
    use bevy::camera::RenderTarget;
    use std::sync::mpsc;

    const W: u32 = 320;
    const H: u32 = 240;
    const BACKGROUND: Color = Color::srgb(0.95, 0.93, 0.88);

    /// Shapes of every kind, large and small, turned and squashed as the host's parts are when they move (a
    /// closing eye, an open mouth, a raised forearm), each with its colour and place.
    fn cases() -> Vec<(Shape, Color, Transform)> {
        let at = |x: f32, y: f32| Transform::from_xyz(x, y, 0.0);
        vec![
            (Shape::Ellipse(Vec2::new(40.0, 28.0)), Color::srgb_u8(52, 36, 30), at(-100.0, 60.0)),
            (Shape::circle(12.0), Color::srgb_u8(40, 96, 160), at(-30.0, 80.0)),
            (
                Shape::Ellipse(Vec2::new(0.5, 0.5)),
                Color::srgb_u8(150, 50, 60),
                at(30.0, 80.0).with_scale(Vec3::new(60.0, 9.0, 1.0)),
            ),
            (
                Shape::Capsule { radius: 14.0, length: 50.0 },
                Color::srgb_u8(30, 76, 132),
                at(110.0, 50.0).with_rotation(Quat::from_rotation_z(0.9)),
            ),
            (Shape::Rectangle(Vec2::new(70.0, 18.0)), Color::srgb_u8(241, 194, 160), at(-90.0, -40.0)),
            (
                Shape::Rectangle(Vec2::new(50.0, 8.0)),
                Color::srgb_u8(52, 36, 30),
                at(0.0, -20.0).with_rotation(Quat::from_rotation_z(-0.3)),
            ),
            (
                Shape::Triangle([Vec2::new(-35.0, 0.0), Vec2::new(35.0, 0.0), Vec2::new(0.0, -40.0)]),
                Color::srgb_u8(245, 245, 245),
                at(90.0, -40.0).with_rotation(Quat::from_rotation_z(0.2)),
            ),
            (
                Shape::Ellipse(Vec2::new(30.0, 22.0)),
                Color::srgb_u8(255, 255, 255),
                at(-20.0, -85.0).with_scale(Vec3::new(1.0, 0.3, 1.0)),
            ),
            (
                // The torso's shape: shoulders wider than the waist.
                Shape::Quad([
                    Vec2::new(-22.0, 18.0),
                    Vec2::new(22.0, 18.0),
                    Vec2::new(17.0, -20.0),
                    Vec2::new(-17.0, -20.0),
                ]),
                Color::srgb_u8(40, 96, 160),
                at(-110.0, -70.0).with_rotation(Quat::from_rotation_z(0.1)),
            ),
        ]
    }

    /// Bevy's mesh of the same primitive, with enough segments that its polygon is within a tenth of a pixel of
    /// the true curve at these sizes.
    fn reference_mesh(shape: Shape) -> Mesh {
        match shape {
            Shape::Ellipse(r) => Ellipse::new(r.x, r.y).mesh().resolution(256).build(),
            Shape::Capsule { radius, length } => Capsule2d::new(radius, length).mesh().resolution(128).build(),
            Shape::Rectangle(size) => Rectangle::new(size.x, size.y).into(),
            Shape::Triangle([a, b, c]) => Triangle2d::new(a, b, c).into(),
            Shape::Quad(corners) => {
                // Two triangles, as Bevy's own 2D meshes are laid out (normals toward the camera, UVs unused).
                let positions: Vec<[f32; 3]> = corners.iter().map(|c| [c.x, c.y, 0.0]).collect();
                Mesh::new(PrimitiveTopology::TriangleList, Default::default())
                    .with_inserted_attribute(Mesh::ATTRIBUTE_POSITION, positions)
                    .with_inserted_attribute(Mesh::ATTRIBUTE_NORMAL, vec![[0.0, 0.0, 1.0]; 4])
                    .with_inserted_attribute(Mesh::ATTRIBUTE_UV_0, vec![[0.0, 0.0]; 4])
                    .with_inserted_indices(Indices::U16(vec![0, 1, 2, 0, 2, 3]))
            }
        }
    }

    fn render(reference: bool) -> Vec<u8> {
        let mut app = App::new();
        add_headless_plugins(&mut app);
        app.add_plugins(plugin);
        let handle = add_frame_target(&mut app, FrameSize { width: W, height: H }, "shape test frame");
        let msaa = if reference { Msaa::Sample4 } else { Msaa::Off };
        app.world_mut().spawn((
            Camera2d,
            msaa,
            offscreen_camera(ClearColorConfig::Custom(BACKGROUND)),
            RenderTarget::from(handle.clone()),
        ));
        for (shape, color, transform) in cases() {
            let world = app.world_mut();
            if reference {
                let mesh = world.resource_mut::<Assets<Mesh>>().add(reference_mesh(shape));
                let material = world.resource_mut::<Assets<ColorMaterial>>().add(color);
                world.spawn((Mesh2d(mesh), MeshMaterial2d(material), transform));
            } else {
                let quad = world.resource::<ShapeQuad>().clone();
                let bundle = shape_bundle(&quad, &mut world.resource_mut::<Assets<HostShape>>(), shape, color);
                world.spawn((bundle, transform));
            }
        }
        finish_and_warm_up(&mut app);
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        read_back_next(app.world_mut(), handle, move |rgba| {
            let _ = tx.send(rgba);
        });
        for _ in 0..600 {
            app.update();
            if let Ok(data) = rx.try_recv() {
                return data;
            }
        }
        panic!("no frame came back from the renderer");
    }

    #[test]
    #[ignore = "needs a Vulkan driver (package mesa-vulkan-drivers)"]
    fn shapes_match_bevys_multisampled_meshes_with_one_sample_per_pixel() {
        testkit::need("a Vulkan driver (package mesa-vulkan-drivers)", vulkan_available());
        let ours = render(false);
        let theirs = render(true);
        assert_eq!(ours.len(), (W * H * 4) as usize);
        let bg = BACKGROUND.to_srgba().to_u8_array();
        let diff = |p: &[u8], q: &[u8]| (0..3).map(|c| p[c].abs_diff(q[c])).max().unwrap_or(0);
        let (mut drawn, mut off, mut far, mut most, mut total) = (0usize, 0usize, 0usize, 0u8, 0u64);
        for (p, q) in ours.chunks_exact(4).zip(theirs.chunks_exact(4)) {
            if diff(q, &bg) > 0 {
                drawn += 1;
            }
            let d = diff(p, q);
            total += u64::from(d);
            most = most.max(d);
            if d > 2 {
                off += 1;
            }
            if d > 80 {
                far += 1;
            }
        }
        // Soft pixels: neither the background nor any shape's colour, i.e. an edge blended with what lies behind.
        let colours: Vec<[u8; 4]> = cases().iter().map(|(_, c, _)| c.to_srgba().to_u8_array()).collect();
        let soft = |frame: &[u8]| {
            frame.chunks_exact(4).filter(|p| diff(p, &bg) > 8 && colours.iter().all(|c| diff(p, c) > 8)).count()
        };
        let (our_soft, their_soft) = (soft(&ours), soft(&theirs));
        eprintln!(
            "{drawn} pixels drawn; {off} differ by more than 2, {far} by more than 80, at most {most}; mean {:.3}; \
             soft edge pixels: ours {our_soft}, multisampled {their_soft}",
            total as f64 / f64::from(W * H)
        );
        assert!(drawn > 8_000, "the reference drew the shapes: {drawn} pixels");
        // Inside and outside every shape the pixels are the same; only edge pixels may differ, where 4 samples
        // round coverage to quarters and ours does not: at most about an eighth of the edge's contrast, a quarter
        // where a sample on a thin or steep edge falls the other way.
        assert!(off < drawn / 8, "{off} of {drawn} pixels differ");
        assert!(far <= 6, "{far} pixels differ by more than a third of an edge's contrast");
        assert!((total as f64 / f64::from(W * H)) < 1.0, "mean difference {}", total as f64 / f64::from(W * H));
        // The edges are as smooth as multisampled ones (not stair-stepped).
        assert!(our_soft * 10 >= their_soft * 8, "soft edge pixels: ours {our_soft}, multisampled {their_soft}");
        if std::env::var_os("SHOPCAST_DUMP_FRAMES").is_some() {
            let dir = std::env::temp_dir();
            for (name, frame) in [("shapes-ours.png", &ours), ("shapes-msaa.png", &theirs)] {
                let _ = image::save_buffer(dir.join(name), frame, W, H, image::ColorType::Rgba8);
            }
        }
    }
}
