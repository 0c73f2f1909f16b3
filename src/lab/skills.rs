//! The DOP-C02 exam outline (`labs/skills.yaml`): domains, task statements, skills.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outline {
    pub exam: String,
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub name: String,
    /// Percent of the exam's scored content.
    pub weight: u32,
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub skills: Vec<Skill>,
    #[serde(default)]
    pub knowledge: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub id: String,
    pub text: String,
}

impl Outline {
    pub fn domain(&self, id: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.domains.iter().flat_map(|d| &d.tasks)
    }

    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks().find(|t| t.id == id)
    }

    pub fn skills(&self) -> impl Iterator<Item = &Skill> {
        self.tasks().flat_map(|t| &t.skills)
    }

    pub fn has_skill(&self, id: &str) -> bool {
        self.skills().any(|s| s.id == id)
    }
}

/// How far a set of labs covers one task statement: the labs mapped to it and the
/// skills of it that some check exercises.
pub struct TaskCoverage<'a> {
    pub task: &'a Task,
    pub labs: Vec<&'a str>,
    pub skills: Vec<&'a str>,
}

impl Outline {
    /// Every task statement, domain by domain, with what `labs` cover of it.
    pub fn coverage<'a>(&'a self, labs: &'a [super::Lab]) -> Vec<(&'a Domain, Vec<TaskCoverage<'a>>)> {
        let checked = |skill: &str| labs.iter().flat_map(|l| &l.checks).any(|c| c.skills.iter().any(|s| s == skill));
        self.domains
            .iter()
            .map(|domain| {
                let tasks = domain
                    .tasks
                    .iter()
                    .map(|task| TaskCoverage {
                        task,
                        labs: labs.iter().filter(|l| l.tasks.contains(&task.id)).map(|l| l.id.as_str()).collect(),
                        skills: task.skills.iter().filter(|s| checked(&s.id)).map(|s| s.id.as_str()).collect(),
                    })
                    .collect();
                (domain, tasks)
            })
            .collect()
    }
}
